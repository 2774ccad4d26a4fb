//! `verify`: will the vendor accept the certificate a server or client presents, against the CA
//! that is (or will be) uploaded? The three inputs (the presented certificate with its
//! intermediates, the CAs, the key) are read as `check` reads any input; then the path from the
//! presented certificate to one of the CAs is built by names and key identifiers, every
//! signature on it verified, and the destination's rules on the presented certificate applied:
//! its names, its purposes, its key usage, its issuer's key identifier, the CA's validity.

use serde::Serialize;

use crate::certificate::{AltName, CertificateInfo, Facts, KeyPurpose, KeyUsage};
use crate::chain::names_as_issuer;
use crate::check::{Analysis, KeyEntry, Options, Purpose, analyze_for};
use crate::constraints;
use crate::destination::{Destination, Profile};
use crate::diagnostic::{Diagnostic, Finding, InputKind, NameConstraintProblem, NotCaReason, Place, Severity};
use crate::lints::one_certificate;
use crate::message::Sink;
use crate::private_key::{self, PrivateKeyInfo};
use crate::profile;
use crate::report::Verdict;
use crate::signature::{self, SignatureCheck};
use crate::time::UnixTime;

/// What the presented certificate is checked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerOptions {
    /// Where the CA goes; decides the purpose (a tunnel's server: serverAuth; Access and mTLS
    /// clients: clientAuth) and the severities.
    pub destination: Destination,
    /// Anthropic: the tunnel's domain `D`; the certificate must cover every one-label name under
    /// it (a `*.D` dNSName).
    pub tunnel_domain: Option<String>,
    /// Host names or IP addresses the certificate must each cover (RFC 6125).
    pub hosts: Vec<String>,
    /// Email addresses (RFC 822 names) the certificate must each cover: a client identified by
    /// email.
    pub emails: Vec<String>,
    /// The time validity is judged at.
    pub now: UnixTime,
}

/// One certificate of the path found, from the presented certificate to its anchor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathStep {
    /// The input it comes from.
    pub input: InputKind,
    /// Its index among that input's certificates.
    pub index: usize,
    /// Its subject.
    pub subject: String,
    /// SHA-256 of its DER, lowercase hex.
    pub sha256: String,
}

/// The report of `verify` (docs/REPORT.md's contract, with an input named on every diagnostic).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeerReport {
    /// The destination checked for.
    pub destination: &'static str,
    /// Worst severity present: `error` means the vendor would refuse the certificate.
    pub verdict: Verdict,
    /// The presented certificate (first) and its intermediates (`issuer_index` and
    /// `verified_by` within this input; the path links across inputs).
    pub certificates: Vec<CertificateInfo>,
    /// The CAs given.
    pub ca_certificates: Vec<CertificateInfo>,
    /// Private keys given (`--key`, or found beside the certificate), matched to the presented
    /// certificate (`matches_certificate: 0`); their material is never reported.
    pub private_keys: Vec<PrivateKeyInfo>,
    /// The path found, presented certificate first, anchoring CA last; empty when none is
    /// valid.
    pub path: Vec<PathStep>,
    /// Every diagnostic, each naming its input.
    pub diagnostics: Vec<Diagnostic>,
}

/// `verify` cannot judge this destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoPeerCheck(pub Destination);

impl core::fmt::Display for NoPeerCheck {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Destination::CloudflareGateway => f.write_str(
                "Cloudflare Gateway generates its own CA and presents certificates it makes: there is nothing to verify against it",
            ),
            _ => f.write_str(
                "a leaf upload to Cloudflare mTLS (--no-ca) is presented by Cloudflare to your origin: verify it against the origin's CA with --to cloudflare-mtls --ca",
            ),
        }
    }
}

impl Destination {
    /// The extended key usage the certificate presented to this destination's CA must allow:
    /// `serverAuth` for a tunnel's gateway, `clientAuth` for Access and mTLS clients; `None`
    /// where `verify` does not apply.
    pub fn presented_purpose(self) -> Option<KeyPurpose> {
        match self {
            Self::AnthropicTunnel => Some(KeyPurpose::ServerAuth),
            Self::CloudflareAccess | Self::CloudflareMtls { ca: true } => Some(KeyPurpose::ClientAuth),
            _ => None,
        }
    }
}

/// Longest path tried (presented certificate, intermediates, anchor).
const MAX_DEPTH: usize = 8;
/// Most partial paths explored before giving up (a hostile input of many same-named
/// certificates must not make the search exponential).
const MAX_STEPS: usize = 2_000;
/// Most complete paths (every signature verified) judged before one is chosen.
const MAX_PATHS: usize = 16;

/// Verifies the presented `certificate` (PEM/DER, presented certificate first, then its
/// intermediates) against the CAs in `ca`, with its private `key` if given.
///
/// # Errors
/// [`NoPeerCheck`] for destinations no certificate is presented to (Gateway, an mTLS leaf).
pub fn verify_peer(
    certificate: &[u8],
    ca: &[u8],
    key: Option<&[u8]>,
    options: &PeerOptions,
) -> Result<PeerReport, NoPeerCheck> {
    let purpose = options.destination.presented_purpose().ok_or(NoPeerCheck(options.destination))?;
    let check_options = Options::new(Some(options.destination), options.now);
    let presented = analyze_for(certificate, &check_options, Purpose::Presented);
    let anchors = analyze_for(ca, &check_options, Purpose::Anchors);
    let keys = key.map(|key| analyze_for(key, &check_options, Purpose::Key));
    let profile = options.destination.profile();
    let mut findings: Vec<(Finding, InputKind, Place)> = Vec::new();
    let mut path = Vec::new();
    if let Some(leaf) = presented.inspected(0) {
        let leaf = &leaf.facts;
        let leaf_place = presented.certificate_place(0);
        if leaf.authority_key_id().is_none() {
            findings.push((Finding::PeerAuthorityKeyId { missing: true }, InputKind::Certificate, leaf_place));
        }
        match find_paths(&presented, &anchors) {
            Search::Found(paths) => {
                // The path with the fewest errors for this destination (then the shortest): one
                // that validates when there is one, else the closest.
                let mut best: Option<Judged> = None;
                for nodes in paths {
                    let mut candidate = Vec::new();
                    path_rules(&nodes, &presented, &anchors, &purpose, options.now, &mut candidate);
                    let errors = candidate
                        .iter()
                        .filter(|(finding, _, _)| finding.rule().severity(profile) == Some(Severity::Error))
                        .count();
                    let rank = (errors, nodes.len());
                    if best.as_ref().is_none_or(|(best_rank, _, _)| rank < *best_rank) {
                        best = Some((rank, nodes, candidate));
                    }
                }
                if let Some((_, nodes, candidate)) = best {
                    findings.extend(candidate);
                    path = nodes.iter().filter_map(|node| step(node, &presented, &anchors)).collect();
                }
            }
            Search::BadSignature { subject, issuer } => {
                lint(Node::Presented(0), &presented, &anchors, options.now, &mut findings);
                let place = match subject {
                    Node::Presented(index) => presented.certificate_place(index),
                    Node::Anchor(_) => leaf_place,
                };
                findings.push((Finding::SignatureNotByIssuer { issuer }, InputKind::Certificate, place));
            }
            Search::Unknown { issuer, other_key } => {
                lint(Node::Presented(0), &presented, &anchors, options.now, &mut findings);
                let cas = anchors.parsed().map(|c| c.info.subject.clone()).collect();
                let finding = Finding::PeerUnknownCa { issuer, cas, other_key };
                findings.push((finding, InputKind::Certificate, leaf_place));
            }
        }
        let mut wanted: Vec<(String, bool)> =
            options.tunnel_domain.iter().map(|domain| (format!("*.{}", normalize(domain)), true)).collect();
        wanted.extend(options.hosts.iter().map(|host| (host.trim().to_owned(), false)));
        for (name, wildcard) in wanted {
            let covered = if wildcard { covers_wildcard(leaf, &name) } else { covers_host(leaf, &name) };
            if !covered {
                findings.push((name_mismatch(leaf, name), InputKind::Certificate, leaf_place));
            }
        }
        for email in &options.emails {
            let email = email.trim();
            if !covers_email(leaf, email) {
                findings.push((name_mismatch(leaf, email.to_owned()), InputKind::Certificate, leaf_place));
            }
        }
    }
    let private_keys = key_rules(&presented, keys.as_ref(), &mut findings);
    let mut diagnostics = Vec::new();
    for (analysis, input) in [(&presented, InputKind::Certificate), (&anchors, InputKind::Ca)]
        .into_iter()
        .chain(keys.iter().map(|k| (k, InputKind::Key)))
    {
        diagnostics.extend(analysis.sink.diagnostics.iter().cloned().map(|d| Diagnostic { input: Some(input), ..d }));
    }
    for (finding, input, place) in findings {
        if let Some(diagnostic) = Diagnostic::new(finding, profile, place, None) {
            diagnostics.push(Diagnostic { input: Some(input), ..diagnostic });
        }
    }
    let verdict = match diagnostics.iter().map(|d| d.severity).max() {
        Some(Severity::Error) => Verdict::Error,
        Some(Severity::Warning) => Verdict::Warning,
        _ => Verdict::Ok,
    };
    let certificates = presented.into_report(&check_options).certificates;
    let ca_certificates = anchors.into_report(&check_options).certificates;
    Ok(PeerReport {
        destination: options.destination.name(),
        verdict,
        certificates,
        ca_certificates,
        private_keys,
        path,
        diagnostics,
    })
}

/// A finding with the input and the place it points at.
type Located = (Finding, InputKind, Place);

/// A candidate path, its rank (errors for the destination, then length) and its findings.
type Judged = ((usize, usize), Vec<Node>, Vec<Located>);

/// A certificate of either input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    /// The presented input's certificate at this index (0: the presented certificate).
    Presented(usize),
    /// The CA input's certificate at this index.
    Anchor(usize),
}

impl Node {
    fn facts<'a>(self, presented: &'a Analysis<'_>, anchors: &'a Analysis<'_>) -> Option<&'a Facts> {
        let (analysis, index) = match self {
            Self::Presented(index) => (presented, index),
            Self::Anchor(index) => (anchors, index),
        };
        analysis.inspected(index).map(|c| &c.facts)
    }

    fn original<'a>(self, presented: &'a Analysis<'_>, anchors: &'a Analysis<'_>) -> &'a [u8] {
        let (analysis, index) = match self {
            Self::Presented(index) => (presented, index),
            Self::Anchor(index) => (anchors, index),
        };
        analysis.certificates.get(index).map_or(&[][..], |c| &*c.der)
    }
}

/// What the path search found.
enum Search {
    /// Paths to a CA on which every signature verifies, presented certificate first (at most
    /// [`MAX_PATHS`]).
    Found(Vec<Vec<Node>>),
    /// Names and key identifiers lead to a CA, but a signature on the way does not verify.
    BadSignature {
        /// The certificate whose signature does not verify.
        subject: Node,
        /// The subject of the issuer whose key did not sign it.
        issuer: String,
    },
    /// No CA is reached.
    Unknown {
        /// The issuer name where the search ended.
        issuer: String,
        /// A CA has that name, with another key.
        other_key: bool,
    },
}

/// Depth-first search from the presented certificate over every candidate issuer (CAs first,
/// then the presented input's other certificates as intermediates, in any order; a certificate
/// at most once per path), collecting the complete paths whose signatures verify.
fn find_paths(presented: &Analysis<'_>, anchors: &Analysis<'_>) -> Search {
    let Some(leaf) = Node::Presented(0).facts(presented, anchors) else {
        return Search::Unknown { issuer: String::new(), other_key: false };
    };
    let anchor_nodes: Vec<Node> = (0..anchors.certificates.len()).map(Node::Anchor).collect();
    let intermediate_nodes: Vec<Node> = (1..presented.certificates.len()).map(Node::Presented).collect();
    let mut steps = 0;
    let mut best_bad: Option<(Vec<Node>, usize)> = None;
    // The deepest certificate reached whose issuer is nowhere (for the message).
    let mut dead_end: (usize, &Facts) = (0, leaf);
    let mut stack: Vec<Vec<Node>> = vec![vec![Node::Presented(0)]];
    let mut found: Vec<Vec<Node>> = Vec::new();
    while let Some(partial) = stack.pop() {
        steps += 1;
        if steps > MAX_STEPS || found.len() >= MAX_PATHS {
            break;
        }
        let Some(&last) = partial.last() else { continue };
        let Some(current) = last.facts(presented, anchors) else { continue };
        if matches!(last, Node::Anchor(_)) {
            // A complete path: check every signature on it.
            match first_bad_link(&partial, presented, anchors) {
                None => found.push(partial),
                Some(bad) => {
                    if best_bad.as_ref().is_none_or(|(p, _)| partial.len() < p.len()) {
                        best_bad = Some((partial, bad));
                    }
                }
            }
            continue;
        }
        if partial.len() >= MAX_DEPTH {
            continue;
        }
        let mut extended = false;
        // Pushed in reverse so that CAs are tried first.
        for &next in intermediate_nodes.iter().rev().chain(anchor_nodes.iter().rev()) {
            if partial.contains(&next) {
                continue;
            }
            let Some(candidate) = next.facts(presented, anchors) else { continue };
            // The same certificate again (a CA given twice, an intermediate also given as a
            // CA) adds nothing to a path it is already on.
            let repeated = partial
                .iter()
                .any(|node| node.facts(presented, anchors).is_some_and(|f| f.fingerprints == candidate.fingerprints));
            if repeated {
                continue;
            }
            if names_as_issuer(current, candidate) && !(matches!(next, Node::Presented(_)) && candidate.self_issued()) {
                let mut longer = partial.clone();
                longer.push(next);
                stack.push(longer);
                extended = true;
            }
        }
        if !extended && partial.len() > dead_end.0 {
            dead_end = (partial.len(), current);
        }
    }
    if !found.is_empty() {
        return Search::Found(found);
    }
    if let Some((path, bad)) = best_bad {
        let issuer = path
            .get(bad + 1)
            .and_then(|node| node.facts(presented, anchors))
            .map(|facts| crate::names::render_name(facts.subject_der()))
            .unwrap_or_default();
        let subject = path.get(bad).copied().unwrap_or(Node::Presented(0));
        return Search::BadSignature { subject, issuer };
    }
    let (_, stuck) = dead_end;
    let other_key = anchors.parsed().any(|ca| ca.facts.subject_der() == stuck.issuer_der());
    Search::Unknown { issuer: crate::names::render_name(stuck.issuer_der()), other_key }
}

/// The index of the first link of `path` whose signature does not verify (link `i`: node `i`
/// signed by node `i + 1`).
fn first_bad_link(path: &[Node], presented: &Analysis<'_>, anchors: &Analysis<'_>) -> Option<usize> {
    path.windows(2).position(|pair| {
        let [subject, issuer] = pair else { return true };
        let (Some(subject_facts), Some(issuer_facts)) =
            (subject.facts(presented, anchors), issuer.facts(presented, anchors))
        else {
            return true;
        };
        let original = subject.original(presented, anchors);
        signature::verify_memoized(original, &subject_facts.fingerprints.sha256.0, issuer_facts)
            != SignatureCheck::Valid
    })
}

fn step(node: &Node, presented: &Analysis<'_>, anchors: &Analysis<'_>) -> Option<PathStep> {
    let facts = node.facts(presented, anchors)?;
    let (input, index) = match *node {
        Node::Presented(index) => (InputKind::Certificate, index),
        Node::Anchor(index) => (InputKind::Ca, index),
    };
    Some(PathStep {
        input,
        index,
        subject: crate::names::render_name(facts.subject_der()),
        sha256: crate::fingerprint::hex(&facts.fingerprints.sha256.0),
    })
}

/// Where a certificate of either input is.
fn located(node: Node, presented: &Analysis<'_>, anchors: &Analysis<'_>) -> (InputKind, Place) {
    match node {
        Node::Presented(index) => (InputKind::Certificate, presented.certificate_place(index)),
        Node::Anchor(index) => (InputKind::Ca, anchors.certificate_place(index)),
    }
}

/// The rules every certificate is checked for (lints.rs), on a certificate of the path; not yet
/// valid refuses the path whatever the destination.
fn lint(
    node: Node,
    presented: &Analysis<'_>,
    anchors: &Analysis<'_>,
    now: UnixTime,
    findings: &mut Vec<(Finding, InputKind, Place)>,
) {
    let Some(facts) = node.facts(presented, anchors) else { return };
    let (input, place) = located(node, presented, anchors);
    let mut sink = Sink::new(Profile::Inspect);
    one_certificate(&mut sink, facts, place, now, false);
    for diagnostic in sink.diagnostics {
        let finding = match diagnostic.finding {
            Finding::NotYetValid { not_before } => Finding::PeerNotYetValid { not_before },
            Finding::SerialInvalid { length, not_positive } => Finding::PeerSerialInvalid { length, not_positive },
            other => other,
        };
        findings.push((finding, input, place));
    }
}

/// The destination's rules on a path whose signatures verify: RFC 5280 section 6 on every
/// certificate (validity, critical extensions, CA bit and keyCertSign of every issuer,
/// pathLenConstraint, name constraints), the lints of every certificate on it, the certificate
/// profiles (profile.rs: RFC 5280 section 4, and the CA/Browser Forum's for a server), then what
/// the destination asks of the presented certificate.
fn path_rules(
    path: &[Node],
    presented: &Analysis<'_>,
    anchors: &Analysis<'_>,
    purpose: &KeyPurpose,
    now: UnixTime,
    findings: &mut Vec<(Finding, InputKind, Place)>,
) {
    let (Some(leaf), Some(issuer), Some(&anchor_node)) = (
        Node::Presented(0).facts(presented, anchors),
        path.get(1).and_then(|node| node.facts(presented, anchors)),
        path.last(),
    ) else {
        return;
    };
    for &node in path {
        let mut linted = Vec::new();
        lint(node, presented, anchors, now, &mut linted);
        // A trust anchor's serial is the anchor's own business (Starfield's G2 root has serial 0,
        // and every verifier takes it): only certificates issued on the path are held to it.
        let anchor = Some(&node) == path.last() && path.len() > 1;
        findings
            .extend(linted.into_iter().filter(|(f, _, _)| !(anchor && matches!(f, Finding::PeerSerialInvalid { .. }))));
    }
    let leaf_place = presented.certificate_place(0);
    let subject_of = |facts: &Facts| crate::names::render_name(facts.subject_der());
    let mut budget = constraints::Budget(constraints::COMPARISON_BUDGET);
    for (position, &node) in path.iter().enumerate().skip(1) {
        let (Some(ca), Some(issued)) =
            (node.facts(presented, anchors), path.get(position - 1).and_then(|below| below.facts(presented, anchors)))
        else {
            continue;
        };
        let (input, place) = located(node, presented, anchors);
        if !ca.is_ca() {
            let reason = match (ca.version, ca.basic_constraints) {
                (0 | 1, _) => NotCaReason::Version1,
                (_, None) => NotCaReason::NoBasicConstraints,
                (_, Some(_)) => NotCaReason::CaFalse,
            };
            findings.push((Finding::PeerIssuerNotCa { reason, issued: subject_of(issued) }, input, place));
        } else if !ca.may_sign_certificates() {
            findings.push((Finding::PeerIssuerKeyUsage { issued: subject_of(issued) }, input, place));
        }
        // Intermediates below it, self-issued ones not counted (RFC 5280 6.1.4 (l)).
        let below = path
            .get(1..position)
            .unwrap_or_default()
            .iter()
            .filter(|n| n.facts(presented, anchors).is_some_and(|f| !f.same_subject_and_issuer()))
            .count();
        if let Some(path_len) = ca.path_len().filter(|&limit| u64::try_from(below).unwrap_or(u64::MAX) > limit) {
            findings.push((Finding::PeerPathLength { ca: subject_of(ca), path_len, below }, input, place));
        }
        match constraints::read(ca) {
            Ok(None) => {}
            Err(problem) => {
                let finding = Finding::PeerNameConstraints { ca: subject_of(ca), subject: subject_of(issued), problem };
                findings.push((finding, input, place));
            }
            Ok(Some(constraints)) => {
                // Every certificate below it, but a self-issued intermediate (RFC 5280 6.1.3 (b)).
                for (depth, &below_node) in path.iter().enumerate().take(position) {
                    let Some(subject) = below_node.facts(presented, anchors) else { continue };
                    if depth > 0 && subject.same_subject_and_issuer() {
                        continue;
                    }
                    if let Err(problem) = constraints::check(&constraints, subject, depth == 0, &mut budget) {
                        let finding =
                            Finding::PeerNameConstraints { ca: subject_of(ca), subject: subject_of(subject), problem };
                        let (input, place) = located(below_node, presented, anchors);
                        findings.push((finding, input, place));
                        break;
                    }
                }
            }
        }
    }
    let facts: Vec<&Facts> = path.iter().filter_map(|node| node.facts(presented, anchors)).collect();
    if facts.len() == path.len() {
        for (position, finding) in profile::path_findings(&facts, *purpose == KeyPurpose::ServerAuth) {
            if let Some(&node) = path.get(position) {
                let (input, place) = located(node, presented, anchors);
                findings.push((finding, input, place));
            }
        }
    }
    if !leaf.is_ca() && constraints::present(leaf) {
        let problem = NameConstraintProblem::OnEndEntity;
        let finding = Finding::PeerNameConstraints { ca: subject_of(leaf), subject: subject_of(leaf), problem };
        findings.push((finding, InputKind::Certificate, leaf_place));
    }
    if !leaf.is_ca() && leaf.key_usage().has(KeyUsage::KeyCertSign) {
        findings.push((Finding::PeerLeafKeyCertSign, InputKind::Certificate, leaf_place));
    }
    let intermediates = path.len().saturating_sub(2);
    if intermediates > 0 {
        findings.push((Finding::PeerNotDirect { intermediates }, InputKind::Certificate, leaf_place));
    }
    if leaf.authority_key_id().is_some() && issuer.subject_key_id().is_none() {
        // (Both present and different, the CA would not have been named as the issuer; a
        // missing authorityKeyIdentifier is reported whatever the path.)
        findings.push((Finding::PeerAuthorityKeyId { missing: false }, InputKind::Certificate, leaf_place));
    }
    // anyExtendedKeyUsage does not stand for the purpose: OpenSSL and rustls-webpki refuse it
    // (Go accepts it).
    let allows = |facts: &Facts| facts.extended_key_usage().is_none_or(|list| list.contains(purpose));
    if !allows(leaf) {
        let finding = Finding::PeerExtendedKeyUsage { purpose: purpose.asked_name(), intermediate: false };
        findings.push((finding, InputKind::Certificate, leaf_place));
    }
    // Every CA of the path, the anchor included (OpenSSL and Go apply EKU to the whole chain).
    for &node in path.iter().skip(1) {
        if node.facts(presented, anchors).is_none_or(allows) {
            continue;
        }
        let (input, place) = located(node, presented, anchors);
        findings.push((
            Finding::PeerExtendedKeyUsage { purpose: purpose.asked_name(), intermediate: true },
            input,
            place,
        ));
    }
    if leaf.key_usage_present && !leaf.key_usage().has(KeyUsage::DigitalSignature) {
        findings.push((Finding::PeerKeyUsage, InputKind::Certificate, leaf_place));
    }
    if leaf.is_ca() {
        findings.push((Finding::PeerIsCa, InputKind::Certificate, leaf_place));
    }
    if let Some(anchor) = anchor_node.facts(presented, anchors)
        && leaf.not_after > anchor.not_after
    {
        let finding = Finding::PeerOutlivesCa { not_after: leaf.not_after, ca_not_after: anchor.not_after };
        findings.push((finding, InputKind::Certificate, leaf_place));
    }
}

/// Matches the keys given (`--key`, and any beside the certificate) to the presented
/// certificate; `key.mismatch` for one that belongs elsewhere, `key.encrypted` for one that
/// cannot be read.
fn key_rules(
    presented: &Analysis<'_>,
    keys: Option<&Analysis<'_>>,
    findings: &mut Vec<(Finding, InputKind, Place)>,
) -> Vec<PrivateKeyInfo> {
    let leaf = presented.inspected(0).map(|c| &c.facts.public_key.material);
    let mut reported = Vec::new();
    for (analysis, input) in [(Some(presented), InputKind::Certificate), (keys, InputKind::Key)] {
        let Some(analysis) = analysis else { continue };
        for KeyEntry { info, material } in &analysis.keys {
            let place = Place { line: info.line, column: info.column, block: info.block, certificate: None };
            let matches_leaf = match (material, leaf) {
                (Some(material), Some(leaf)) => Some(private_key::matches(material, leaf)),
                _ => None,
            };
            let belongs_to = material.as_ref().and_then(|material| {
                presented.parsed().find(|c| private_key::matches(material, &c.facts.public_key.material))
            });
            match matches_leaf {
                Some(true) => {}
                Some(false) => {
                    let finding = Finding::PeerKeyMismatch { belongs_to: belongs_to.map(|c| c.info.index) };
                    findings.push((finding, input, place));
                }
                None if material.is_none() => findings.push((Finding::KeyEncrypted, input, place)),
                None => {}
            }
            let matches_certificate = belongs_to.map(|c| c.info.index);
            reported.push(PrivateKeyInfo { matches_certificate, ..info.clone() });
        }
    }
    reported
}

fn name_mismatch(leaf: &Facts, wanted: String) -> Finding {
    let alt_names = leaf.alt_names();
    let names = alt_names.iter().flatten().map(AltName::to_string).collect();
    Finding::PeerNameMismatch { wanted, names, has_san: alt_names.is_some() }
}

/// Lowercase, without a trailing dot.
fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a dNSName equal to the wildcard `*.D` is present.
fn covers_wildcard(leaf: &Facts, wanted: &str) -> bool {
    leaf.alt_names().into_iter().flatten().any(|name| matches!(name, AltName::Dns(dns) if normalize(&dns) == wanted))
}

/// RFC 6125 6.4: an IP address matches an iPAddress entry; a host name matches a dNSName
/// exactly or by a wildcard that is the whole leftmost label and stands for exactly one label.
fn covers_host(leaf: &Facts, host: &str) -> bool {
    let host = normalize(host);
    let address = host.trim_start_matches('[').trim_end_matches(']').parse::<core::net::IpAddr>().ok();
    leaf.alt_names().into_iter().flatten().any(|name| match (name, address) {
        (AltName::Ip(octets), Some(core::net::IpAddr::V4(v4))) => octets == v4.octets(),
        (AltName::Ip(octets), Some(core::net::IpAddr::V6(v6))) => octets == v6.octets(),
        (AltName::Dns(dns), None) => dns_matches(&dns, &host),
        _ => false,
    })
}

/// Whether an rfc822Name of the subjectAltName is `email`: the local part as written, the
/// domain case-insensitively (RFC 5280 4.2.1.6; the subject's emailAddress is not used, as Go
/// and rustls-webpki do not).
fn covers_email(leaf: &Facts, email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else { return false };
    leaf.alt_names().into_iter().flatten().any(|name| match name {
        AltName::Email(address) => {
            address.rsplit_once('@').is_some_and(|(l, d)| l == local && normalize(d) == normalize(domain))
        }
        _ => false,
    })
}

/// Whether dNSName `pattern` covers `host` (both compared lowercase, without a trailing dot): equal,
/// or `*.parent` with `host` one label under `parent` (never a partial-label wildcard, never a
/// wildcard over a single-label parent).
fn dns_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (normalize(pattern), normalize(host));
    match pattern.strip_prefix("*.") {
        Some(parent) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == parent && parent.contains('.')),
        None => !pattern.contains('*') && pattern == host,
    }
}

impl core::fmt::Display for AltName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Dns(name) => write!(f, "DNS:{name}"),
            Self::Ip(octets) => match <[u8; 4]>::try_from(octets.as_slice()) {
                Ok(v4) => write!(f, "IP:{}", core::net::Ipv4Addr::from(v4)),
                Err(_) => match <[u8; 16]>::try_from(octets.as_slice()) {
                    Ok(v6) => write!(f, "IP:{}", core::net::Ipv6Addr::from(v6)),
                    Err(_) => write!(f, "IP:{}", crate::fingerprint::hex(octets)),
                },
            },
            Self::Email(address) => write!(f, "email:{address}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    const CA: &[u8] = include_bytes!("../../../tests/data/signatures/rsa-pkcs1-sha256-ca.pem");
    const LEAF: &[u8] = include_bytes!("../../../tests/data/signatures/rsa-pkcs1-sha256-leaf.pem");
    const WRONG_KEY: &[u8] = include_bytes!("../../../tests/data/signatures/wrong-key-leaf.pem");
    const OTHER_CA: &[u8] = include_bytes!("../../../tests/data/signatures/ecdsa-p256-sha256-ca.pem");

    fn verify(leaf: &[u8], ca: &[u8], hosts: &[&str]) -> PeerReport {
        let options = PeerOptions {
            destination: Destination::CloudflareAccess,
            tunnel_domain: None,
            hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            emails: Vec::new(),
            now: UnixTime::parse_rfc3339("2026-11-22T00:00:00Z").unwrap(),
        };
        verify_peer(leaf, ca, None, &options).unwrap()
    }

    fn codes(report: &PeerReport) -> Vec<(&'static str, Option<InputKind>)> {
        report.diagnostics.iter().map(|d| (d.finding.code(), d.input)).collect()
    }

    #[test]
    fn a_leaf_issued_by_the_ca_verifies_and_names_its_path() {
        let report = verify(LEAF, CA, &[]);
        assert_eq!(codes(&report), vec![]);
        assert_eq!(report.verdict, Verdict::Ok);
        let path: Vec<(InputKind, usize)> = report.path.iter().map(|s| (s.input, s.index)).collect();
        assert_eq!(path, vec![(InputKind::Certificate, 0), (InputKind::Ca, 0)]);
        assert_eq!(report.path[1].sha256, report.ca_certificates[0].fingerprints.sha256());
    }

    #[test]
    fn a_same_named_issuer_with_another_key_is_a_bad_signature_and_another_ca_is_unknown() {
        // Its authorityKeyIdentifier names the other key: the same-named CA is not its issuer.
        let report = verify(WRONG_KEY, CA, &[]);
        assert_eq!(codes(&report), vec![("peer.unknown_ca", Some(InputKind::Certificate))]);
        assert!(report.diagnostics[0].message.starts_with("A given CA is named"), "{}", report.diagnostics[0].message);
        assert!(report.path.is_empty());
        let report = verify(LEAF, OTHER_CA, &[]);
        assert_eq!(codes(&report), vec![("peer.unknown_ca", Some(InputKind::Certificate))]);
        assert_eq!(report.verdict, Verdict::Error);
        // Either CA of a rotation may anchor.
        let both = [OTHER_CA, CA].concat();
        assert_eq!(codes(&verify(LEAF, &both, &[])), vec![]);
    }

    #[test]
    fn names_are_matched_from_the_subject_alt_name_only() {
        let report = verify(LEAF, CA, &["rsa-pkcs1-sha256 leaf"]);
        assert_eq!(codes(&report), vec![("peer.name_mismatch", Some(InputKind::Certificate))]);
        assert!(report.diagnostics[0].message.starts_with("The certificate has no subjectAltName"));
    }

    #[test]
    fn wildcards_cover_exactly_one_label() {
        assert!(dns_matches("*.example.com", "a.example.com"));
        assert!(dns_matches("*.Example.com", "A.example.COM."));
        assert!(dns_matches("a.example.com", "A.EXAMPLE.COM"));
        assert!(!dns_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_matches("*.example.com", "example.com"));
        assert!(!dns_matches("*.com", "example.com"));
        assert!(!dns_matches("f*.example.com", "foo.example.com"));
        assert!(!dns_matches("*.example.com", ".example.com"));
        assert_eq!(AltName::Dns("x".to_owned()).to_string(), "DNS:x");
        assert_eq!(AltName::Ip(vec![192, 0, 2, 10]).to_string(), "IP:192.0.2.10");
    }
}
