//! Chains by name and key-identifier linkage (signatures are not verified yet).

use std::collections::HashMap;

use crate::certificate::Facts;

/// Whether `issuer` plausibly issued `subject`: names chain and key identifiers agree.
pub(crate) fn issued_by(subject: &Facts, issuer: &Facts) -> bool {
    let ids_agree = match (&subject.authority_key_id, &issuer.subject_key_id) {
        (Some(authority), Some(key)) => authority == key,
        _ => true,
    };
    subject.issuer_der == issuer.subject_der && ids_agree
}

/// A chain problem at certificate `index`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChainProblem {
    /// The issuer is in the bundle at `issuer_index`, but not right after.
    Order { index: usize, issuer_index: usize },
    /// Nothing after it issued it.
    Broken { index: usize },
}

/// Problems of a bundle that should be a chain, first certificate first. Linear in the bundle
/// size: certificates are indexed by subject and by issuer name.
pub(crate) fn problems(certificates: &[&Facts]) -> Vec<ChainProblem> {
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
    let mut by_issuer: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (index, facts) in certificates.iter().enumerate() {
        by_subject.entry(facts.subject_der.as_slice()).or_default().push(index);
        by_issuer.entry(facts.issuer_der.as_slice()).or_default().push(index);
    }
    let mut found = Vec::new();
    for (index, pair) in certificates.windows(2).enumerate() {
        let [current, next] = pair else { continue };
        let duplicate = current.der == next.der; // reported as cert.duplicate instead
        if duplicate || (issued_by(current, next) && !current.self_signed()) {
            continue;
        }
        let candidates = by_subject.get(current.issuer_der.as_slice()).map_or(&[][..], Vec::as_slice);
        let issuer_elsewhere = candidates
            .iter()
            .copied()
            .filter(|&other| other != index && !current.self_signed())
            .find(|&other| certificates.get(other).is_some_and(|candidate| issued_by(current, candidate)));
        let issued = by_issuer.get(current.subject_der.as_slice()).map_or(&[][..], Vec::as_slice);
        let issues_a_later_one = current.self_signed()
            && issued.iter().any(|&later| {
                later > index && certificates.get(later).is_some_and(|c| issued_by(c, current) && !c.self_signed())
            });
        match issuer_elsewhere {
            Some(issuer_index) => found.push(ChainProblem::Order { index, issuer_index }),
            None if issues_a_later_one => found.push(ChainProblem::Order { index, issuer_index: index }),
            None => found.push(ChainProblem::Broken { index }),
        }
    }
    found
}

/// An order in which the certificates form a chain: a leaf first, each followed by its issuer,
/// then whatever does not fit, in its original order.
pub(crate) fn chain_order(certificates: &[&Facts]) -> Vec<usize> {
    let count = certificates.len();
    let is_issuer_of_another = |i: usize| {
        certificates.iter().enumerate().any(|(j, other)| {
            j != i && certificates.get(i).is_some_and(|me| issued_by(other, me) && !other.self_signed())
        })
    };
    let start = (0..count).find(|&i| !is_issuer_of_another(i)).unwrap_or(0);
    let mut order = vec![start];
    let mut current = start;
    while order.len() < count {
        let Some(facts) = certificates.get(current) else { break };
        if facts.self_signed() {
            break;
        }
        let next = (0..count).find(|j| !order.contains(j) && certificates.get(*j).is_some_and(|c| issued_by(facts, c)));
        match next {
            Some(next) => {
                order.push(next);
                current = next;
            }
            None => break,
        }
    }
    order.extend((0..count).filter(|i| !order.contains(i)).collect::<Vec<_>>());
    order
}
