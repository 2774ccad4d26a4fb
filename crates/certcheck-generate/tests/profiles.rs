//! Every destination × profile × key type: what certcheck makes passes `check` and `verify` with
//! no error or warning, serials are positive and distinct, and a leaf never outlives its CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use certcheck::{Destination, UnixTime, Verdict};
use certcheck_generate::{CaOptions, Issuer, KeyType, LeafKind, LeafOptions, new_ca, new_leaf};
use rand::SeedableRng;
use rand::rngs::StdRng;

const NOW: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z, the fixtures' time

fn destinations() -> [Destination; 3] {
    [Destination::AnthropicTunnel, Destination::CloudflareAccess, Destination::CloudflareMtls { ca: true }]
}

fn leaf_options(destination: Destination, key_type: KeyType) -> LeafOptions {
    let kind = LeafKind::for_destination(destination).unwrap();
    LeafOptions {
        destination,
        kind,
        tunnel_domain: (kind == LeafKind::Server).then(|| "tunnel.example.com".to_owned()),
        name: (kind == LeafKind::Client).then(|| "device-17".to_owned()),
        hosts: Vec::new(),
        emails: Vec::new(),
        uris: Vec::new(),
        days: None,
        key_type,
        request: None,
        now: UnixTime(NOW),
    }
}

#[test]
fn every_destination_and_key_type_passes_check_and_verify() {
    let mut rng = StdRng::seed_from_u64(7);
    for destination in destinations() {
        for key_type in [KeyType::P256, KeyType::P384, KeyType::Rsa2048] {
            let ca = new_ca(&CaOptions { destination, name: None, days: None, key_type, now: UnixTime(NOW) }, &mut rng)
                .unwrap();
            assert_eq!(ca.check.verdict, Verdict::Ok, "{destination:?} {key_type}: {:?}", ca.check.diagnostics);
            let issuer = Issuer::new(ca.certificate_der.clone(), ca.key.unwrap()).unwrap();
            let leaf = new_leaf(&leaf_options(destination, key_type), &issuer, &mut rng).unwrap();
            let verify = leaf.verify.unwrap();
            assert_eq!(verify.verdict, Verdict::Ok, "{destination:?} {key_type}: {:?}", verify.diagnostics);
            assert_eq!(verify.path.len(), 2);
            assert_eq!(leaf.check.verdict, Verdict::Ok);
        }
    }
}

#[test]
fn ed25519_is_refused_with_the_destinations_rule() {
    let mut rng = StdRng::seed_from_u64(1);
    for destination in destinations() {
        let error = new_ca(
            &CaOptions { destination, name: None, days: None, key_type: KeyType::Ed25519, now: UnixTime(NOW) },
            &mut rng,
        )
        .err()
        .unwrap();
        assert_eq!(error.code, "cert.key_algorithm", "{destination:?}");
    }
}

fn label() -> impl proptest::strategy::Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?"
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..proptest::prelude::ProptestConfig::default() })]

    /// Random domains, names and days: every artifact passes, serials are positive 16-octet
    /// values and distinct, and no leaf starts before or ends after its CA.
    #[test]
    fn random_names_domains_and_days(
        seed in 0u64..u64::MAX,
        labels in proptest::collection::vec(label(), 2..4),
        name in "[A-Za-z0-9][A-Za-z0-9 .-]{0,38}[A-Za-z0-9]",
        ca_days in 31u32..4000,
        leaf_days in 31u32..800,
        at in 0i64..(20 * 365 * 86_400),
        destination in proptest::sample::select(destinations().to_vec()),
    ) {
        let mut rng = StdRng::seed_from_u64(seed);
        let now = UnixTime(NOW + at);
        let domain = labels.join(".");
        let ca = new_ca(&CaOptions { destination, name: Some(name.clone()), days: Some(ca_days), key_type: KeyType::P256, now }, &mut rng).unwrap();
        let ca_info = ca.check.certificates[0].clone();
        proptest::prop_assert_eq!(&ca_info.subject, &format!("CN={name}"));
        let issuer = Issuer::new(ca.certificate_der.clone(), ca.key.unwrap()).unwrap();
        let mut options = leaf_options(destination, KeyType::P256);
        options.now = now;
        options.days = Some(leaf_days);
        if options.kind == LeafKind::Server {
            options.tunnel_domain = Some(domain.clone());
        } else {
            options.hosts = vec![domain.clone()];
        }
        let mut serials = vec![ca_info.serial.clone()];
        for _ in 0..2 {
            let made = match new_leaf(&options, &issuer, &mut rng) {
                Ok(made) => made,
                // Only a CA that ends within 30 days of `now` leaves a leaf too short to pass.
                Err(error) => {
                    proptest::prop_assert_eq!(error.code, "new.refused");
                    proptest::prop_assert!(ca_info.not_after.0 - now.0 <= 30 * 86_400 + 86_400);
                    continue;
                }
            };
            let info = &made.check.certificates[0];
            proptest::prop_assert!(info.not_after.0 <= ca_info.not_after.0);
            proptest::prop_assert!(info.not_before.0 >= ca_info.not_before.0);
            proptest::prop_assert_eq!(made.verify.as_ref().unwrap().verdict, Verdict::Ok);
            serials.push(info.serial.clone());
        }
        for serial in &serials {
            proptest::prop_assert_eq!(serial.len(), 32);
            let first = u8::from_str_radix(&serial[..2], 16).unwrap();
            proptest::prop_assert!((0x40..0x80).contains(&first), "{}", serial);
        }
        let mut distinct = serials.clone();
        distinct.sort();
        distinct.dedup();
        proptest::prop_assert_eq!(distinct.len(), serials.len());
    }
}
