//! What several targets share: the destination a first input byte selects.

use certcheck::Destination;

/// The destination a selector byte names (every one of `Destination::ALL`, mTLS as a CA and as
/// a leaf).
pub fn destination(selector: u8) -> Destination {
    let all = Destination::ALL;
    all[usize::from(selector) % all.len()]
}
