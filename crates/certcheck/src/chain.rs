//! How the certificates of one input link: which one names which as its issuer (subject and
//! issuer names on DER, key identifiers where both are present), whose key verifies each
//! signature, which repeat an earlier one, and in what order a chain should go. Computed once
//! per input; the lints, the report's `issuer_index` and `verified_by`, and the fixes all read it.

use std::collections::HashMap;
use std::rc::Rc;

use crate::certificate::{Facts, VerifiedBy};
use crate::signature::{self, SignatureCheck, SignatureTask, Signatures};

/// Whether `issuer` is named as the issuer of `subject`: the names chain and the key identifiers
/// agree where both are present.
pub(crate) fn names_as_issuer(subject: &Facts, issuer: &Facts) -> bool {
    let ids_agree = match (subject.authority_key_id(), issuer.subject_key_id()) {
        (Some(authority), Some(key)) => authority == key,
        _ => true,
    };
    subject.issuer_der() == issuer.subject_der() && ids_agree
}

/// One certificate's place among the others of its input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Link {
    /// Subject equals issuer and the key identifiers agree: it names itself as its issuer.
    pub(crate) self_issued: bool,
    /// The other certificates named as its issuer, in input order (empty when self-issued).
    pub(crate) candidates: Vec<usize>,
    /// The earlier certificate with the same bytes, if any.
    pub(crate) duplicate_of: Option<usize>,
    /// The certificate of the input named as its issuer: the first candidate whose key verifies
    /// the signature, else the first candidate.
    pub(crate) issuer: Option<usize>,
    /// The signature checked with the issuer's key (or its own, when self-issued); `None` when
    /// no key in the input is named to verify it, or when the check was left to a task.
    pub(crate) signature: Option<SignatureCheck>,
}

impl Link {
    /// What verified the signature, if anything did.
    pub(crate) fn verified_by(&self) -> Option<VerifiedBy> {
        match (&self.signature, self.self_issued, self.issuer) {
            (Some(SignatureCheck::Valid), true, _) => Some(VerifiedBy::SelfSigned),
            (Some(SignatureCheck::Valid), false, Some(issuer)) => Some(VerifiedBy::Issuer(issuer)),
            _ => None,
        }
    }
}

/// Every certificate's [`Link`], by index (`None` entries are certificates that could not be
/// read: they link to nothing). `originals` are the certificates' bytes as given: signatures
/// are verified over them, never over a repaired encoding. Linear in the input apart from the
/// signatures: certificates are indexed by subject and by SHA-256.
pub(crate) fn links(
    certificates: &[Option<&Facts>],
    originals: &[Rc<[u8]>],
    signatures: Signatures,
    tasks: &mut Vec<SignatureTask>,
) -> Vec<Link> {
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
    let mut by_digest: HashMap<[u8; 32], usize> = HashMap::new();
    for (index, facts) in certificates.iter().enumerate() {
        if let Some(facts) = facts {
            by_subject.entry(facts.subject_der()).or_default().push(index);
        }
    }
    certificates
        .iter()
        .enumerate()
        .map(|(index, facts)| {
            let Some(facts) = facts else { return Link::default() };
            let first = *by_digest.entry(facts.fingerprints.sha256.0).or_insert(index);
            let self_issued = facts.self_issued();
            let candidates = if self_issued {
                Vec::new()
            } else {
                by_subject
                    .get(facts.issuer_der())
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&other| {
                        other != index
                            && certificates.get(other).copied().flatten().is_some_and(|c| names_as_issuer(facts, c))
                    })
                    .collect()
            };
            let original = originals.get(index).map_or(&[][..], |der| &**der);
            let sha256 = &facts.fingerprints.sha256.0;
            // With Signatures::Known, an unknown result stays unknown and becomes a task.
            let mut check = |issuer: &Facts| match signatures {
                Signatures::Verify if signature::AVAILABLE => {
                    Some(signature::verify_memoized(original, sha256, issuer))
                }
                Signatures::Verify | Signatures::Known => {
                    let known = signature::memoized(sha256, &issuer.fingerprints.sha256.0);
                    if known.is_none() {
                        let task = SignatureTask::new(original, sha256, issuer);
                        signature::record(|| task.clone());
                        tasks.push(task);
                    }
                    known
                }
            };
            let (issuer, signature) = if self_issued {
                (None, check(facts))
            } else {
                let checked: Vec<(usize, Option<SignatureCheck>)> = candidates
                    .iter()
                    .filter_map(|&other| certificates.get(other).copied().flatten().map(|c| (other, check(c))))
                    .collect();
                let verified = checked.iter().find(|(_, check)| *check == Some(SignatureCheck::Valid));
                match verified.or(checked.first()) {
                    Some((issuer, check)) => (Some(*issuer), check.clone()),
                    None => (None, None),
                }
            };
            Link { self_issued, candidates, duplicate_of: (first != index).then_some(first), issuer, signature }
        })
        .collect()
}

/// A chain problem at certificate `index`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChainProblem {
    /// Its issuer is in the input at `issuer`, but not right after it.
    IssuerElsewhere { index: usize, issuer: usize },
    /// It is a root that issued `issued`, which comes after it: the root belongs at the end.
    IssuesLater { index: usize, issued: usize },
    /// Nothing after it issued it.
    Broken { index: usize },
}

/// Problems of an input that should be a chain, first certificate first.
pub(crate) fn problems(links: &[Link]) -> Vec<ChainProblem> {
    let mut found = Vec::new();
    for (index, pair) in links.windows(2).enumerate() {
        let [current, next] = pair else { continue };
        let next_index = index + 1;
        // A repeated certificate is reported as cert.duplicate instead.
        let repeated = next.duplicate_of.is_some() && next.duplicate_of == current.duplicate_of.or(Some(index));
        if repeated || current.candidates.contains(&next_index) {
            continue;
        }
        if let Some(&issuer) = current.candidates.iter().find(|&&other| other != index) {
            found.push(ChainProblem::IssuerElsewhere { index, issuer });
            continue;
        }
        let issued = current
            .self_issued
            .then(|| {
                (next_index..links.len()).find(|&later| links.get(later).is_some_and(|l| l.candidates.contains(&index)))
            })
            .flatten();
        match issued {
            Some(issued) => found.push(ChainProblem::IssuesLater { index, issued }),
            None => found.push(ChainProblem::Broken { index }),
        }
    }
    found
}

/// An order in which `members` (certificate indices) form a chain: a leaf first (one that
/// issued none of the others), each followed by its issuer, then whatever does not fit, in
/// the original order.
pub(crate) fn chain_order(links: &[Link], members: &[usize]) -> Vec<usize> {
    let candidates = |i: usize| links.get(i).map_or(&[][..], |link| link.candidates.as_slice());
    let issues_another = |i: usize| members.iter().any(|&other| candidates(other).contains(&i));
    let Some(start) = members.iter().copied().find(|&i| !issues_another(i)).or(members.first().copied()) else {
        return Vec::new();
    };
    let mut order = vec![start];
    let mut current = start;
    while order.len() < members.len() {
        let next = candidates(current).iter().copied().find(|j| members.contains(j) && !order.contains(j));
        match next {
            Some(next) => {
                order.push(next);
                current = next;
            }
            None => break,
        }
    }
    order.extend(members.iter().copied().filter(|i| !order.contains(i)).collect::<Vec<_>>());
    order
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use crate::check::{Options, Signatures, check, check_with_tasks, signature_tasks};
    use crate::time::UnixTime;

    /// Only this test verifies these two certificates (the memo is shared by every test of the
    /// process), so it sees the memo empty, then full.
    #[test]
    fn a_check_with_known_signatures_leaves_tasks_that_complete_the_report() {
        let input = [
            include_bytes!("../../../tests/data/signatures/ed25519-leaf.pem").as_slice(),
            include_bytes!("../../../tests/data/signatures/ed25519-ca.pem").as_slice(),
        ]
        .concat();
        let verify = Options::new(None, UnixTime(1_795_305_600));
        let known = Options { signatures: Signatures::Known, ..verify };
        let tasks = signature_tasks(&input, &known);
        assert_eq!(tasks.len(), 2, "the leaf's link and the CA's self-signature");
        let early = check(&input, &known);
        assert_eq!(check_with_tasks(&input, &known), (early.clone(), tasks.clone()));
        assert_eq!(early.certificates.iter().map(|c| c.verified_by).collect::<Vec<_>>(), vec![None, None]);
        let codes: Vec<&str> = early.diagnostics.iter().map(|d| d.finding.code()).collect();
        assert_eq!(codes, vec!["signature.unchecked"]);
        assert_eq!(
            early.diagnostics[0].message,
            "2 signature(s) of this input are not verified yet; they are checked next (a report that verifies them follows)."
        );
        assert_eq!(early.certificates[0].issuer_index, Some(1));
        for task in &tasks {
            task.run();
        }
        assert_eq!(signature_tasks(&input, &known), vec![]);
        let complete = check(&input, &known);
        assert_eq!(check_with_tasks(&input, &verify), (complete.clone(), vec![]));
        assert_eq!(complete, check(&input, &verify));
        assert!(complete.diagnostics.is_empty());
        assert_eq!(
            complete.certificates.iter().map(|c| c.verified_by).collect::<Vec<_>>(),
            vec![Some(crate::VerifiedBy::Issuer(1)), Some(crate::VerifiedBy::SelfSigned)]
        );
    }
}
