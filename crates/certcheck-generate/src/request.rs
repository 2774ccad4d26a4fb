//! Certificate signing requests: the subject's key, taken only after its signature verifies, so
//! a server's private key never has to move.

use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::request::CertReq;

use crate::Error;

/// Reads a PKCS#10 request (PEM `CERTIFICATE REQUEST` / `NEW CERTIFICATE REQUEST`, or DER),
/// verifies its signature with the key it carries, and returns that key.
///
/// # Errors
/// `new.request`: no request, not DER, or a signature that does not verify (the request was
/// altered, or was not signed by the key it names).
pub fn read_request(input: &[u8]) -> Result<SubjectPublicKeyInfoOwned, Error> {
    let bad = |message: String| Error::new("new.request", message);
    let der = match core::str::from_utf8(input).ok().filter(|t| t.contains("-----BEGIN ")) {
        Some(text) => {
            let start = text
                .find("-----BEGIN NEW CERTIFICATE REQUEST-----")
                .or_else(|| text.find("-----BEGIN CERTIFICATE REQUEST-----"))
                .ok_or_else(|| bad("no CERTIFICATE REQUEST block in the request file".to_owned()))?;
            let block = text.get(start..).unwrap_or_default();
            let end = block
                .find("REQUEST-----\n")
                .and_then(|first| block.get(first + 1..)?.find("REQUEST-----").map(|i| i + first + 1))
                .map(|i| i + "REQUEST-----".len())
                .unwrap_or(block.len());
            let block = block.get(..end).unwrap_or(block);
            pem_rfc7468::decode_vec(block.as_bytes())
                .map(|(_, der)| der)
                .map_err(|e| bad(format!("the request's PEM block is not valid: {e}")))?
        }
        None => input.to_vec(),
    };
    let request = CertReq::from_der(&der).map_err(|e| bad(format!("the request is not a PKCS#10 request: {e}")))?;
    let info = request.info.to_der().map_err(|e| bad(format!("the request cannot be re-encoded: {e}")))?;
    let algorithm = request.algorithm.to_der().map_err(|e| bad(format!("the request's algorithm: {e}")))?;
    let spki = request.info.public_key.to_der().map_err(|e| bad(format!("the request's key: {e}")))?;
    let mut signature = vec![request.signature.unused_bits()];
    signature.extend_from_slice(request.signature.raw_bytes());
    certcheck::verify_signature(&info, &algorithm, &signature, &spki)
        .map_err(|why| bad(format!("the request's signature: {why}; it was altered or not signed by its key")))?;
    Ok(request.info.public_key)
}
