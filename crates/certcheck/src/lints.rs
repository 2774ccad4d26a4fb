//! The lint rules: what each certificate, key and the input as a whole are checked for. Each
//! finding is emitted with its facts; its severity comes from the rule table (rules.rs) and its
//! sentence from message.rs.

use crate::certificate::{Facts, KeyPurpose, KeyUsage};
use crate::chain::{self, ChainProblem};
use crate::check::{Analysis, Purpose};
use crate::constraints;
use crate::destination::{Destination, Profile};
use crate::diagnostic::{ChainPlacement, Finding, NotCaReason, Place, Severity, SizeLimit};
use crate::fix::Fix;
use crate::message::Sink;
use crate::signature::{SignatureCheck, Signatures};
use crate::time::{EXPIRES_SOON_DAYS, UnixTime};

impl Analysis<'_> {
    /// The rules every certificate is checked for, then the CA rules where a CA is wanted; last,
    /// how many signatures were left unverified: with [`Signatures::Known`] the caller verifies
    /// them next (elsewhere, if this build cannot), else this build cannot verify them.
    pub(crate) fn certificate_rules(&mut self, now: UnixTime, signatures: Signatures) {
        self.each_certificate(now);
        if !self.signature_tasks.is_empty() {
            let finding = Finding::SignatureUnchecked {
                count: self.signature_tasks.len(),
                unavailable: signatures == Signatures::Verify && !crate::signature::AVAILABLE,
            };
            self.sink.emit(finding, Place::default(), None);
        }
    }

    fn each_certificate(&mut self, now: UnixTime) {
        let upload = self.purpose == Purpose::Upload;
        let wants_ca = upload && self.profile.wants_ca();
        let leaf_upload = self.profile == Profile::MtlsLeaf;
        for index in 0..self.certificates.len() {
            let Some(certificate) = self.certificates.get(index).and_then(|c| c.inspected.as_ref()) else { continue };
            let facts = &certificate.facts;
            let place = self.certificate_place(index);
            if let Some(offset) = facts.not_der {
                let byte_place = self.certificate_byte_place(index, offset);
                self.sink.emit(Finding::NotDer { offset }, byte_place, None);
            }
            let needs_ca = wants_ca && !(leaf_upload && index == 0);
            // The certificates of `verify` are judged only where they stand on the path chosen
            // (peer.rs), and as uploads by `check`.
            if !matches!(self.purpose, Purpose::Anchors | Purpose::Presented) {
                one_certificate(&mut self.sink, facts, place, now, upload);
            }
            if needs_ca {
                ca_rules(&mut self.sink, facts, place);
            }
            let Some(link) = self.certificates.get(index).map(|c| &c.link) else { continue };
            if let Some(first) = link.duplicate_of {
                self.sink.emit(Finding::DuplicateCertificate { first }, place, Some(Fix::DropDuplicateCertificates));
            }
            match &link.signature {
                // A self-issued certificate whose keyUsage forbids signing certificates was signed
                // by another key of the same name (RFC 5280 6.1: self-issued, not self-signed; as
                // OpenSSL decides): nothing to say about its own key.
                Some(SignatureCheck::Invalid) if link.self_issued && !facts.may_sign_certificates() => {}
                Some(SignatureCheck::Invalid) => {
                    let issuer = if link.self_issued { None } else { link.issuer };
                    self.sink.emit(Finding::SignatureInvalid { issuer }, place, None);
                }
                Some(SignatureCheck::Unsupported { algorithm }) => {
                    let finding = Finding::SignatureUnsupported { algorithm: algorithm.clone() };
                    self.sink.emit(finding, place, None);
                }
                Some(SignatureCheck::Valid) | None => {}
            }
        }
    }
}

/// What any certificate is checked for, whatever its role; the key algorithms a destination
/// takes only for an `upload`.
pub(crate) fn one_certificate(sink: &mut Sink, facts: &Facts, place: Place, now: UnixTime, upload: bool) {
    let serial = facts.serial_raw();
    let not_positive = serial.first().is_none_or(|b| b & 0x80 != 0) || serial.iter().all(|&b| b == 0);
    if not_positive || serial.len() > 20 {
        sink.emit(Finding::SerialInvalid { length: serial.len(), not_positive }, place, None);
    }
    if let Some(oid) = facts.duplicate_extension() {
        sink.emit(Finding::DuplicateExtension { extension: oid }, place, None);
    }
    if let Some(oid) = facts.unknown_critical_extension() {
        sink.emit(Finding::UnknownCriticalExtension { oid }, place, None);
    }
    if facts.inner_signature() != facts.outer_signature() {
        let finding = Finding::SignatureAlgorithmMismatch {
            inner: facts.inner_signature_name.clone(),
            outer: facts.outer_signature_name.clone(),
        };
        sink.emit(finding, place, None);
    }
    for field in &facts.generalized_before_2050 {
        sink.emit(Finding::TimeEncoding { field }, place, None);
    }
    if let Some(finding) = validity(facts, now) {
        sink.emit(finding, place, None);
    }
    let signature = facts.outer_signature_name.to_ascii_lowercase();
    if signature.starts_with("md") || signature.contains("sha1") {
        sink.emit(Finding::WeakSignature { algorithm: facts.outer_signature_name.clone() }, place, None);
    }
    if let Some(key) = facts.public_key.weakness() {
        sink.emit(Finding::WeakKey { key }, place, None);
    }
    let algorithm = facts.public_key.info.algorithm.as_str();
    if upload && !matches!(algorithm, "RSA" | "EC") && sink.profile != Profile::MtlsLeaf {
        sink.emit(Finding::KeyAlgorithm { algorithm: algorithm.to_owned() }, place, None);
    }
}

/// Expired, not yet valid, or expiring within [`EXPIRES_SOON_DAYS`] at `now`.
pub(crate) fn validity(facts: &Facts, now: UnixTime) -> Option<Finding> {
    if now > facts.not_after {
        Some(Finding::Expired { not_after: facts.not_after, days: facts.not_after.days_until(now) })
    } else if now < facts.not_before {
        Some(Finding::NotYetValid { not_before: facts.not_before })
    } else if facts.not_after.expires_within(now, EXPIRES_SOON_DAYS) {
        Some(Finding::ExpiresSoon { not_after: facts.not_after, days: now.days_until(facts.not_after) })
    } else {
        None
    }
}

/// What a certificate that must be a CA is checked for.
fn ca_rules(sink: &mut Sink, facts: &Facts, place: Place) {
    if !facts.is_ca() {
        let reason = match (facts.version, facts.basic_constraints) {
            (0 | 1, _) => NotCaReason::Version1,
            (_, None) => NotCaReason::NoBasicConstraints,
            (_, Some(_)) => NotCaReason::CaFalse,
        };
        sink.emit(Finding::NotCa { reason }, place, None);
        return;
    }
    if facts.basic_constraints.is_some_and(|(_, critical)| !critical) {
        sink.emit(Finding::BasicConstraintsNotCritical, place, None);
    }
    if facts.subject_key_id().is_none() {
        sink.emit(Finding::NoSubjectKeyId, place, None);
    }
    let key_usage_present = facts.key_usage_present;
    let anthropic = sink.profile == Profile::Anthropic;
    let signs = facts.key_usage().has(KeyUsage::KeyCertSign);
    if (key_usage_present && !signs) || (!key_usage_present && anthropic) {
        sink.emit(Finding::NoKeyCertSign { key_usage_present }, place, None);
    }
    if !facts.self_issued()
        && let Some(purposes) = facts.extended_key_usage()
        && !purposes.iter().any(|p| matches!(p, KeyPurpose::ClientAuth | KeyPurpose::Any))
    {
        sink.emit(Finding::EkuWithoutClientAuth, place, None);
    }
}

impl Analysis<'_> {
    /// What `verify` asks of the CAs of a path (RFC 5280 6.1.4 (l), (m) and 6.1.3 (b), (c)),
    /// asked of the chains inside a CA upload: from each certificate that issues none of the
    /// others, up through the issuers whose signatures verify, every CA's pathLenConstraint
    /// (the first certificate counts, as it will issue the client certificates) and name
    /// constraints on the names below it. The CA bit and keyCertSign are `ca_rules`' already.
    fn path_rules(&self) -> Vec<(usize, Finding)> {
        let facts = |index: usize| self.inspected(index).map(|c| &c.facts);
        let subject = |facts: &Facts| crate::names::render_name(facts.subject_der());
        let link_of = |index: usize| self.certificates.get(index).map(|c| &c.link);
        let issues_another = |index: usize| self.certificates.iter().any(|c| c.link.issuer == Some(index));
        let mut found: Vec<(usize, Finding)> = Vec::new();
        for start in (0..self.certificates.len()).filter(|&index| !issues_another(index)) {
            let mut chain = vec![start];
            while let Some(link) = chain.last().and_then(|&last| link_of(last)) {
                match link.issuer {
                    Some(issuer)
                        if link.signature == Some(SignatureCheck::Valid)
                            && !link.self_issued
                            && !chain.contains(&issuer) =>
                    {
                        chain.push(issuer);
                    }
                    _ => break,
                }
            }
            let mut budget = constraints::Budget(constraints::COMPARISON_BUDGET);
            for (position, &ca_index) in chain.iter().enumerate().skip(1) {
                let Some(ca) = facts(ca_index) else { continue };
                let below_nodes = chain.get(..position).unwrap_or_default();
                let below =
                    below_nodes.iter().filter_map(|&i| facts(i)).filter(|f| !f.same_subject_and_issuer()).count();
                if let Some(path_len) = ca.path_len().filter(|&limit| u64::try_from(below).unwrap_or(u64::MAX) > limit)
                {
                    found.push((ca_index, Finding::PeerPathLength { ca: subject(ca), path_len, below }));
                }
                match constraints::read(ca) {
                    Ok(None) => {}
                    Err(problem) => {
                        let issued = chain.get(position - 1).and_then(|&i| facts(i)).map(subject).unwrap_or_default();
                        found.push((
                            ca_index,
                            Finding::PeerNameConstraints { ca: subject(ca), subject: issued, problem },
                        ));
                    }
                    Ok(Some(read)) => {
                        for &below_index in below_nodes {
                            let Some(below_facts) = facts(below_index) else { continue };
                            if below_facts.same_subject_and_issuer() {
                                continue;
                            }
                            if let Err(problem) = constraints::check(&read, below_facts, false, &mut budget) {
                                let finding = Finding::PeerNameConstraints {
                                    ca: subject(ca),
                                    subject: subject(below_facts),
                                    problem,
                                };
                                found.push((below_index, finding));
                                break;
                            }
                        }
                    }
                }
            }
        }
        // Chains from several starts share their upper CAs: each finding once.
        let mut unique: Vec<(usize, Finding)> = Vec::new();
        for item in found {
            if !unique.contains(&item) {
                unique.push(item);
            }
        }
        unique
    }

    /// Whether each private key may be sent, and whether it belongs to the leaf.
    pub(crate) fn key_rules(&mut self) {
        let pending = core::mem::take(&mut self.pending_keys);
        if self.purpose != Purpose::Upload {
            return; // `verify` matches keys to the presented certificate itself.
        }
        for (ordinal, key, place) in pending {
            let matches = self.keys.get(ordinal).and_then(|k| k.info.matches_certificate);
            let takes_key = self.profile.takes_private_key() && ordinal == 0;
            if !takes_key {
                let finding = Finding::PrivateKeyPresent { kind: key.kind };
                self.sink.emit(finding, place, Some(Fix::DropPrivateKey));
                if self.profile == Profile::Inspect && key.encrypted {
                    self.sink.emit(Finding::KeyEncrypted, place, None);
                }
                continue;
            }
            if key.encrypted && matches.is_none() {
                self.sink.emit(Finding::KeyEncrypted, place, None);
            } else if key.public.is_some() && matches != Some(0) {
                self.sink.emit(Finding::KeyMismatch { belongs_to: matches }, place, None);
            }
        }
    }

    /// The rules on the input as a whole: chain order, certificate count, size.
    pub(crate) fn destination_rules(&mut self) {
        if self.purpose != Purpose::Upload {
            return;
        }
        let all_parsed = self.certificates.iter().all(|c| c.inspected.is_some());
        let count = self.certificates.len();
        let mut chain_findings = Vec::new();
        if all_parsed && count >= 2 && !matches!(self.profile, Profile::Inspect | Profile::Anthropic) {
            for problem in chain::problems(&self.links()) {
                let (index, finding, fix) = match problem {
                    ChainProblem::IssuerElsewhere { index, issuer } => (
                        index,
                        Finding::ChainOrder { placement: ChainPlacement::IssuerElsewhere(issuer) },
                        Some(Fix::ReorderChain),
                    ),
                    ChainProblem::IssuesLater { index, issued } => (
                        index,
                        Finding::ChainOrder { placement: ChainPlacement::IssuesLater(issued) },
                        Some(Fix::ReorderChain),
                    ),
                    ChainProblem::Broken { index } => {
                        let issuer = self.inspected(index).map(|c| c.info.issuer.clone()).unwrap_or_default();
                        (index, Finding::ChainBroken { next: index + 1, issuer }, None)
                    }
                };
                chain_findings.push((index, finding, fix));
            }
        }
        if matches!(self.profile, Profile::Access | Profile::MtlsCa) && all_parsed {
            chain_findings.extend(self.path_rules().into_iter().map(|(index, finding)| (index, finding, None)));
        }
        for (index, finding, fix) in chain_findings {
            let place = self.certificate_place(index);
            self.sink.emit(finding, place, fix);
        }
        let expected = 1;
        let nothing_else_wrong = !self.sink.diagnostics.iter().any(|d| d.severity == Severity::Error);
        if count > expected || (count == 0 && nothing_else_wrong) {
            let fix = (count > expected).then_some(Fix::KeepOneCertificate);
            self.sink.emit(Finding::BundleCount { expected, found: count }, Place::default(), fix);
        }
        let limit = self.profile.destination().and_then(Destination::size_limit);
        if let (Some(limit), Some(source)) = (limit, &self.source) {
            let size = source.text.trim_start_matches('\u{FEFF}').chars().count();
            if size > limit {
                let finding = Finding::InputTooLarge { size, limit, which: SizeLimit::Destination };
                self.sink.emit(finding, Place::default(), None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{Options, check};
    use crate::destination::Destination;
    use crate::time::UnixTime;

    fn codes(input: &[u8], destination: Destination) -> Vec<(&'static str, Option<usize>)> {
        let options = Options::new(Some(destination), UnixTime(1_795_305_600));
        check(input, &options).diagnostics.iter().map(|d| (d.finding.code(), d.certificate)).collect()
    }

    #[test]
    fn a_ca_upload_whose_chain_breaks_a_path_length_gets_the_code_verify_gives() {
        let intermediate = include_bytes!("../../../tests/data/peer/path/pathlen-exceeded.intermediate.pem");
        let root = include_bytes!("../../../tests/data/peer/path/root-pathlen0.pem");
        let bundle = [&intermediate[..], &root[..]].concat();
        // The root (certificate 1) allows no CA below it: the intermediate is one.
        for destination in [Destination::CloudflareAccess, Destination::CloudflareMtls { ca: true }] {
            assert_eq!(codes(&bundle, destination), vec![("peer.path_length", Some(1))], "{destination}");
        }
        assert_eq!(codes(root, Destination::CloudflareAccess), vec![]);
        let good = include_bytes!("../../../tests/data/peer/path/good-chain.intermediate.pem");
        let root = include_bytes!("../../../tests/data/peer/path/root.pem");
        assert_eq!(codes(&[&good[..], &root[..]].concat(), Destination::CloudflareAccess), vec![]);
    }
}
