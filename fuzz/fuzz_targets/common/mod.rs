//! What several targets share: the destination profiles a first input byte selects.

use certcheck::Destination;

/// Every destination profile: (destination, `ca` flag for Cloudflare mTLS).
pub const DESTINATIONS: [(Destination, bool); 5] = [
    (Destination::AnthropicTunnel, true),
    (Destination::CloudflareAccess, true),
    (Destination::CloudflareMtls, true),
    (Destination::CloudflareMtls, false),
    (Destination::CloudflareGateway, true),
];

/// The profile a selector byte names.
pub fn profile(selector: u8) -> (Destination, bool) {
    DESTINATIONS[usize::from(selector) % DESTINATIONS.len()]
}
