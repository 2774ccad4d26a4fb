//! One instance of every endpoint, with identifiers shaped like the vendors' documentation
//! examples: what the contract tests, the server's allow-list tests and the docs walk.

use crate::endpoint::{Endpoint, Generation, Scope};

/// Every endpoint, once per generation or scope.
pub fn all_endpoints() -> Vec<Endpoint> {
    use Endpoint::*;
    let tunnel = || "tnl_01Hx9Kp2RtQvMn3sWbYdLcF8".to_owned();
    let certificate = || "tcrt_01JmWq4ZxnBvR7tKpY2sLdH9".to_owned();
    let account = || "023e105f4ecef8ad9ca31a8372d0c353".to_owned();
    let uuid = || "f174e90a-fafe-4643-bbbc-4a0ed4fc8415".to_owned();
    let mut all = Vec::new();
    for generation in [Generation::Admin, Generation::Tunnels] {
        all.extend([
            TunnelCertificateCreate { generation, tunnel_id: tunnel() },
            TunnelCertificateList { generation, tunnel_id: tunnel() },
            TunnelCertificateGet { generation, tunnel_id: tunnel(), certificate_id: certificate() },
            TunnelCertificateArchive { generation, tunnel_id: tunnel(), certificate_id: certificate() },
        ]);
    }
    all.extend([
        TunnelCreate,
        TunnelList,
        TunnelGet { tunnel_id: tunnel() },
        TunnelArchive { tunnel_id: tunnel() },
        TunnelRevealToken { tunnel_id: tunnel() },
        TunnelRotateToken { tunnel_id: tunnel() },
    ]);
    for scope in [Scope::Accounts, Scope::Zones] {
        all.extend([
            AccessCertificateList { scope, id: account() },
            AccessCertificateCreate { scope, id: account() },
            AccessCertificateGet { scope, id: account(), certificate_id: uuid() },
            AccessCertificateUpdate { scope, id: account(), certificate_id: uuid() },
            AccessCertificateDelete { scope, id: account(), certificate_id: uuid() },
            AccessSettingsGet { scope, id: account() },
            AccessSettingsUpdate { scope, id: account() },
        ]);
    }
    all.extend([
        GatewayCertificateCreate { account_id: account() },
        GatewayCertificateList { account_id: account() },
        GatewayCertificateGet { account_id: account(), certificate_id: uuid() },
        GatewayCertificateDelete { account_id: account(), certificate_id: uuid() },
        GatewayCertificateActivate { account_id: account(), certificate_id: uuid() },
        GatewayCertificateDeactivate { account_id: account(), certificate_id: uuid() },
        MtlsCertificateUpload { account_id: account() },
        MtlsCertificateList { account_id: account() },
        MtlsCertificateGet { account_id: account(), certificate_id: uuid() },
        MtlsCertificateDelete { account_id: account(), certificate_id: uuid() },
        MtlsCertificateAssociations { account_id: account(), certificate_id: uuid() },
    ]);
    all
}
