//! Real TLS handshakes, in process, with rustls (webpki's path validation): the tunnel's server
//! certificate against a client that trusts only the generated CA and checks a host name under the
//! tunnel domain, and mutual TLS with a generated client certificate against a server that
//! requires the generated CA. Controls: a host outside the domain, and a client certificate from
//! another CA, fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use std::sync::Arc;

use certcheck::{Destination, UnixTime};
use certcheck_generate::{CaOptions, Issuer, KeyType, LeafKind, LeafOptions, Made, new_ca, new_leaf};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime as TlsTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection};

const NOW: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A verifier clock pinned to NOW (+ a day), so the handshake does not read the wall clock.
#[derive(Debug)]
struct Pinned;
impl rustls::time_provider::TimeProvider for Pinned {
    fn current_time(&self) -> Option<TlsTime> {
        Some(TlsTime::since_unix_epoch(std::time::Duration::from_secs(u64::try_from(NOW + 86_400).unwrap())))
    }
}

fn ca(destination: Destination, key_type: KeyType, rng: &mut StdRng) -> (Made, Issuer) {
    let mut made =
        new_ca(&CaOptions { destination, name: None, days: None, key_type, now: UnixTime(NOW) }, rng).unwrap();
    let issuer = Issuer::new(made.certificate_der.clone(), made.key.take().unwrap()).unwrap();
    (made, issuer)
}

fn leaf(destination: Destination, key_type: KeyType, issuer: &Issuer, rng: &mut StdRng) -> Made {
    let kind = LeafKind::for_destination(destination).unwrap();
    let options = LeafOptions {
        destination,
        kind,
        tunnel_domain: (kind == LeafKind::Server).then(|| "tunnel.example.com".to_owned()),
        name: (kind == LeafKind::Client).then(|| "device-17".to_owned()),
        hosts: Vec::new(),
        emails: (kind == LeafKind::Client).then(|| "ops@example.com".to_owned()).into_iter().collect(),
        uris: Vec::new(),
        days: None,
        key_type,
        request: None,
        now: UnixTime(NOW),
    };
    new_leaf(&options, issuer, rng).unwrap()
}

fn key_der(made: &Made) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key.as_ref().unwrap().pkcs8_der().unwrap().to_vec()))
}

fn roots(ca: &Made) -> Arc<RootCertStore> {
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(ca.certificate_der.clone())).unwrap();
    Arc::new(roots)
}

/// Runs the handshake to its end over memory; the first error on either side.
fn handshake(client: &mut ClientConnection, server: &mut ServerConnection) -> Result<(), rustls::Error> {
    for _ in 0..32 {
        let mut buffer = Vec::new();
        while client.wants_write() {
            client.write_tls(&mut buffer).unwrap();
        }
        if !buffer.is_empty() {
            server.read_tls(&mut buffer.as_slice()).unwrap();
            server.process_new_packets()?;
        }
        let mut buffer = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut buffer).unwrap();
        }
        if !buffer.is_empty() {
            client.read_tls(&mut buffer.as_slice()).unwrap();
            client.process_new_packets()?;
        }
        if !client.is_handshaking() && !server.is_handshaking() {
            return Ok(());
        }
    }
    panic!("the handshake did not finish");
}

fn client_config(roots: Arc<RootCertStore>, client: Option<&Made>) -> Arc<ClientConfig> {
    let builder = ClientConfig::builder_with_details(provider(), Arc::new(Pinned))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    Arc::new(match client {
        Some(made) => builder
            .with_client_auth_cert(vec![CertificateDer::from(made.certificate_der.clone())], key_der(made))
            .unwrap(),
        None => builder.with_no_client_auth(),
    })
}

#[test]
fn the_tunnel_server_certificate_serves_every_host_under_the_domain() {
    let mut rng = StdRng::seed_from_u64(11);
    for key_type in [KeyType::P256, KeyType::P384, KeyType::Rsa2048] {
        let (ca_made, issuer) = ca(Destination::AnthropicTunnel, key_type, &mut rng);
        let server_made = leaf(Destination::AnthropicTunnel, key_type, &issuer, &mut rng);
        let server_config = Arc::new(
            ServerConfig::builder_with_details(provider(), Arc::new(Pinned))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(
                    vec![CertificateDer::from(server_made.certificate_der.clone())],
                    key_der(&server_made),
                )
                .unwrap(),
        );
        for (host, accepted) in [("mcp.tunnel.example.com", true), ("mcp.other.example.com", false)] {
            let mut client = ClientConnection::new(
                client_config(roots(&ca_made), None),
                ServerName::try_from(host.to_owned()).unwrap(),
            )
            .unwrap();
            let mut server = ServerConnection::new(server_config.clone()).unwrap();
            assert_eq!(handshake(&mut client, &mut server).is_ok(), accepted, "{key_type} {host}");
        }
    }
}

#[test]
fn mutual_tls_with_a_client_certificate_the_ca_verifies() {
    let mut rng = StdRng::seed_from_u64(12);
    for (destination, key_type) in [
        (Destination::CloudflareAccess, KeyType::P256),
        (Destination::CloudflareMtls { ca: true }, KeyType::Rsa2048),
        (Destination::CloudflareMtls { ca: true }, KeyType::P384),
    ] {
        let (client_ca, client_issuer) = ca(destination, key_type, &mut rng);
        let client_made = leaf(destination, key_type, &client_issuer, &mut rng);
        let (stranger_ca, stranger_issuer) = ca(destination, key_type, &mut rng);
        let stranger = leaf(destination, key_type, &stranger_issuer, &mut rng);
        drop(stranger_ca);
        // The server's own certificate comes from a tunnel CA made here too.
        let (server_ca, server_issuer) = ca(Destination::AnthropicTunnel, KeyType::P256, &mut rng);
        let server_made = leaf(Destination::AnthropicTunnel, KeyType::P256, &server_issuer, &mut rng);
        let verifier = WebPkiClientVerifier::builder_with_provider(roots(&client_ca), provider()).build().unwrap();
        let server_config = Arc::new(
            ServerConfig::builder_with_details(provider(), Arc::new(Pinned))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_client_cert_verifier(verifier)
                .with_single_cert(
                    vec![CertificateDer::from(server_made.certificate_der.clone())],
                    key_der(&server_made),
                )
                .unwrap(),
        );
        for (client_certificate, accepted) in [(&client_made, true), (&stranger, false)] {
            let mut client = ClientConnection::new(
                client_config(roots(&server_ca), Some(client_certificate)),
                ServerName::try_from("api.tunnel.example.com").unwrap(),
            )
            .unwrap();
            let mut server = ServerConnection::new(server_config.clone()).unwrap();
            let result = handshake(&mut client, &mut server);
            assert_eq!(result.is_ok(), accepted, "{destination:?} {key_type}: {result:?}");
        }
    }
}
