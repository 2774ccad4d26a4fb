//! Why a read or a write on the manage page produced nothing usable, as data: [`Problem`], one
//! sentence each through `Display`. Lists hand it to their `ErrorBoundary`; writes show it as
//! their section's notice.

use core::fmt;

use certcheck_api::VerifyError;

use crate::api::Failure;
use crate::state::Blocked;

/// A read or write that did not work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The request could not be made (an ID or the token is missing).
    Blocked(Blocked),
    /// It was made and failed: the network, a timeout, or the vendor's refusal.
    Request(Failure),
    /// A Gateway CA was created, but the answer could not be verified.
    Unverified {
        /// The new CA's id.
        id: String,
        /// Why.
        reason: VerifyError,
    },
    /// A Gateway CA was created, but the answer contradicts the certificate it carries.
    Differs {
        /// The new CA's id.
        id: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blocked(blocked) => write!(f, "{blocked}"),
            Self::Request(failure) => write!(f, "{failure}"),
            Self::Unverified { id, reason } => {
                write!(f, "Created {id}, but the answer could not be verified: {reason}")
            }
            Self::Differs { id } => {
                write!(f, "Created {id}, but its fingerprint or issuer does not match the certificate it carries.")
            }
        }
    }
}

impl std::error::Error for Problem {}

impl From<Blocked> for Problem {
    fn from(blocked: Blocked) -> Self {
        Self::Blocked(blocked)
    }
}

impl From<Failure> for Problem {
    fn from(failure: Failure) -> Self {
        Self::Request(failure)
    }
}
