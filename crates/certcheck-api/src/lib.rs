#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod endpoint;
mod error;
pub mod examples;
mod listing;
pub mod model;
mod proxy;
mod record;
mod request;
mod upload;
mod verify;

pub use endpoint::{Endpoint, Generation, Method, Scope, Vendor, is_identifier};
pub use error::{ApiError, VendorMessage, VerifyError};
pub use listing::{
    ANTHROPIC_LIMIT, CLOUDFLARE_PER_PAGE, Collection, Family, ListError, Listing, MAX_PAGES, Place, PlaceError,
    PlaceId, Stored, TUNNEL_ACTIVE_LIMIT, tunnel_certificates, tunnel_has_room,
};
pub use proxy::{ProxyTarget, proxy_prefix, proxy_target};
pub use record::{BindingStatus, CertificateSource, ExpirySource, Record, Removal, gateway_in_use, removal, spelling};
pub use request::{
    ANTHROPIC_PEM_LIMIT, ANTHROPIC_VERSION, AccessHostnameSetting, CreateAccessCertificate, CreateGatewayCertificate,
    CreateTunnel, CreateTunnelCertificate, Credentials, GATEWAY_DEFAULT_VALIDITY_DAYS, GATEWAY_VALIDITY_DAYS,
    ListTunnelCertificates, Request, RequestOptions, UpdateAccessCertificate, UpdateAccessSettings,
    UploadMtlsCertificate, build, is_secret_header, percent_encode,
};
pub use upload::{
    Blocked, Difference, Fields, LeafKey, ListProblem, Lost, Outcome, Reply, Stage, Upload, UploadBody, answer_id,
    default_name, hostnames, leaf_key_index, leaf_key_pem, outcome_unknown,
};
pub use verify::{
    attribute_values, decimal_from_hex, find_stored, vendor_pem, verified, verify_response, verify_stored,
};
