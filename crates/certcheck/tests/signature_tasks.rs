//! Signatures verified elsewhere (the dashboard's worker): a dry run lists every signature an
//! entry point needs, the tasks and results cross as bytes, and once the results are remembered
//! the real run verifies nothing and reports exactly what verifying here would have. Its own
//! test binary: the signature memo is process-wide, and this test needs it empty at first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck::{
    Destination, Options, PeerOptions, SignatureResult, SignatureTask, UnixTime, check, forget_signatures,
    signature_tasks_of, verify_peer,
};
use sha2::{Digest, Sha256};

const CA: &str = include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-ca.pem");
const LEAF: &str = include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-leaf.pem");
const WRONG_KEY: &str = include_str!("../../../tests/data/signatures/flipped-signature.pem");
const P384_CA: &str = include_str!("../../../tests/data/signatures/ecdsa-p384-sha384-ca.pem");

fn sha256_of_pem(pem: &str) -> [u8; 32] {
    let (_, der) = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap();
    Sha256::digest(der).into()
}

fn options() -> PeerOptions {
    PeerOptions {
        destination: Destination::CloudflareAccess,
        tunnel_domain: None,
        hosts: Vec::new(),
        emails: Vec::new(),
        now: UnixTime::parse_rfc3339("2026-11-22T00:00:00Z").unwrap(),
    }
}

/// Verifies `tasks` as a worker would, every task and result through its bytes.
fn verified_elsewhere(tasks: &[SignatureTask]) -> Vec<SignatureResult> {
    tasks
        .iter()
        .map(|task| {
            let crossed = SignatureTask::from_bytes(&task.to_bytes()).unwrap();
            assert_eq!(&crossed, task);
            let result = crossed.verify();
            let back = SignatureResult::from_bytes(&result.to_bytes()).unwrap();
            assert_eq!(back, result);
            back
        })
        .collect()
}

#[test]
fn a_dry_run_lists_every_signature_and_remembered_results_give_the_same_reports() {
    let (ca, leaf, wrong, other) =
        (sha256_of_pem(CA), sha256_of_pem(LEAF), sha256_of_pem(WRONG_KEY), sha256_of_pem(P384_CA));
    // What verifying here reports, then nothing known again.
    let anchors = format!("{CA}{P384_CA}");
    let good = verify_peer(LEAF.as_bytes(), anchors.as_bytes(), None, &options()).unwrap();
    let bad = verify_peer(WRONG_KEY.as_bytes(), CA.as_bytes(), None, &options()).unwrap();
    let checked =
        check(format!("{LEAF}{CA}").as_bytes(), &Options::new(Some(Destination::CloudflareAccess), options().now));
    forget_signatures();

    // The dry run reaches every signature: each CA's own, the leaf under the CA, and the
    // leaf with a flipped signature bit under the CA (the answers inside are thrown away).
    let mut tasks = signature_tasks_of(|| {
        let _ = verify_peer(LEAF.as_bytes(), anchors.as_bytes(), None, &options());
        let _ = verify_peer(WRONG_KEY.as_bytes(), CA.as_bytes(), None, &options());
    });
    let mut keys: Vec<_> = tasks.iter().map(SignatureTask::key).collect();
    keys.sort_unstable();
    let mut expected = vec![(ca, ca), (leaf, ca), (other, other), (wrong, ca)];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    // A check's dry run lists what `signature_tasks` lists for its input.
    let bundle = format!("{LEAF}{CA}");
    let bundle_options = Options::new(Some(Destination::CloudflareAccess), options().now);
    let check_tasks = signature_tasks_of(|| {
        let _ = check(bundle.as_bytes(), &bundle_options);
    });
    assert_eq!(check_tasks.iter().map(SignatureTask::key).collect::<Vec<_>>(), vec![(leaf, ca), (ca, ca)]);
    assert_eq!(check_tasks, certcheck::signature_tasks(bundle.as_bytes(), &bundle_options));

    // Verified elsewhere and remembered here: nothing is left, and the reports are the same.
    tasks.extend(check_tasks);
    for result in verified_elsewhere(&tasks) {
        result.remember();
    }
    let left = signature_tasks_of(|| {
        let _ = verify_peer(LEAF.as_bytes(), anchors.as_bytes(), None, &options());
        let _ = verify_peer(WRONG_KEY.as_bytes(), CA.as_bytes(), None, &options());
    });
    assert_eq!(left, vec![]);
    assert_eq!(verify_peer(LEAF.as_bytes(), anchors.as_bytes(), None, &options()).unwrap(), good);
    assert_eq!(verify_peer(WRONG_KEY.as_bytes(), CA.as_bytes(), None, &options()).unwrap(), bad);
    assert!(bad.diagnostics.iter().any(|d| d.finding.code() == "signature.invalid"), "{bad:#?}");
    assert_eq!(check(bundle.as_bytes(), &bundle_options), checked);
    assert!(checked.certificates.iter().all(|c| c.verified_by.is_some()), "{checked:#?}");
}

#[test]
fn bytes_that_are_not_a_task_or_a_result_are_refused() {
    let task = signature_tasks_of(|| {
        let _ = verify_peer(LEAF.as_bytes(), CA.as_bytes(), None, &options());
    });
    // This test may run after the other one remembered everything: make its own task then.
    let task = task.into_iter().next().or_else(|| {
        forget_signatures();
        signature_tasks_of(|| {
            let _ = verify_peer(LEAF.as_bytes(), CA.as_bytes(), None, &options());
        })
        .into_iter()
        .next()
    });
    let bytes = task.unwrap().to_bytes();
    assert_eq!(SignatureTask::from_bytes(&bytes[..67]), None);
    let mut lying = bytes.clone();
    lying[0] ^= 1;
    assert_eq!(SignatureTask::from_bytes(&lying), None, "a digest that is not the certificate's");
    let mut long = bytes.clone();
    long[64..68].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(SignatureTask::from_bytes(&long), None);
    assert_eq!(SignatureTask::from_bytes(&[]), None);
    for bad in [
        &b""[..],
        &[0u8; 64][..],
        &[0u8; 66][..],
        &[[0u8; 64].as_slice(), b"X"].concat()[..],
        &[[0u8; 64].as_slice(), b"V!"].concat()[..],
    ] {
        assert_eq!(SignatureResult::from_bytes(bad), None, "{bad:?}");
    }
    let unsupported = SignatureResult::from_bytes(&[[7u8; 64].as_slice(), b"Udsa_with_SHA256"].concat()).unwrap();
    assert_eq!(unsupported.key(), ([7; 32], [7; 32]));
}
