//! The one place where findings become sentences: what is wrong, why it matters, what to do.

use crate::destination::Profile;
use crate::diagnostic::{
    Base64Problem, ChainPlacement, Finding, KeyIdProblem, NameConstraintProblem, NotCaReason, ProfileProblem, SizeLimit,
};

fn describe_char(c: char) -> String {
    match c {
        '\0' => "a NUL byte".to_owned(),
        '\u{00A0}' => "a non-breaking space (U+00A0)".to_owned(),
        '\u{200B}' => "a zero-width space (U+200B)".to_owned(),
        '\u{FEFF}' => "a zero-width no-break space (U+FEFF)".to_owned(),
        '\u{2013}' => "an en dash (U+2013)".to_owned(),
        '\u{2014}' => "an em dash (U+2014)".to_owned(),
        '\u{2212}' => "a minus sign (U+2212)".to_owned(),
        c if c.is_control() || !c.is_ascii() => format!("U+{:04X}", u32::from(c)),
        c => format!("{c:?}"),
    }
}

/// Renders the message for a finding under a profile, as a sentence.
pub(crate) fn render(finding: &Finding, profile: Profile) -> String {
    let text = sentence(finding, profile);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn sentence(finding: &Finding, profile: Profile) -> String {
    let to = profile.vendor();
    match finding {
        Finding::BadBase64 { problem: Base64Problem::Character(c) } => format!(
            "{} is not a base64 character, so the block cannot be decoded; the text was probably damaged in transit: copy the certificate again from its source.",
            describe_char(*c)
        ),
        Finding::BadBase64 { problem: Base64Problem::Truncated } => "The base64 ends in the middle of a 4-character group: characters are missing (a truncated copy?); copy the whole block again.".to_owned(),
        Finding::BadBase64 { problem: Base64Problem::PaddingInside } => "'=' padding appears before the end of the base64, which means two blocks were glued together or text was lost; copy the block again.".to_owned(),
        Finding::Bom { encoding } => format!("The text starts with a {encoding} byte-order mark; certcheck ignores it, but some parsers do not, so it is removed from the normalized PEM."),
        Finding::BundleCount { expected, found } => format!(
            "{to} takes exactly {expected} certificate here, but the input holds {found}; upload only the CA that signs your server certificates (fix: keep one certificate)."
        ),
        Finding::BasicConstraintsNotCritical => format!(
            "basicConstraints (CA:TRUE) is not marked critical; {to} requires it to be (RFC 5280 4.2.1.9): reissue the CA with basicConstraints=critical,CA:TRUE."
        ),
        Finding::ChainBroken { next, issuer } => format!(
            "This certificate was issued by \"{issuer}\", but the next certificate (#{next}) is not that issuer: the chain is broken; add the missing intermediate or remove the unrelated certificate."
        ),
        Finding::ChainOrder { placement: ChainPlacement::IssuerElsewhere(issuer) } => format!(
            "This certificate's issuer is certificate #{issuer}, which is not the one right after it: a chain must go leaf (or intermediate) first, each followed by its issuer (fix: reorder the chain)."
        ),
        Finding::ChainOrder { placement: ChainPlacement::IssuesLater(issued) } => format!(
            "This root certificate issued certificate #{issued}, which comes after it: a chain must go leaf (or intermediate) first, each followed by its issuer, the root last (fix: reorder the chain)."
        ),
        Finding::Crlf => "The text has Windows (CRLF) line endings; they are harmless here and are converted to LF in the normalized PEM.".to_owned(),
        Finding::DuplicateCertificate { first } => format!("This certificate is identical to certificate #{first}; remove the copy."),
        Finding::DuplicateExtension { extension } => format!(
            "The extension {extension} appears more than once, which RFC 5280 4.2 forbids and strict verifiers reject; reissue the certificate."
        ),
        Finding::EkuWithoutClientAuth => "This intermediate's extendedKeyUsage does not include clientAuth, so verifiers that enforce EKU on every certificate of the path (such as rustls-webpki) will reject client certificates it issued; reissue it with clientAuth or without extendedKeyUsage.".to_owned(),
        Finding::EscapedNewlines { quoted } => format!(
            "The PEM contains literal \\n sequences instead of line breaks{}, as when it is copied out of JSON or a shell string; {to} would not parse it (fix: strip escaped newlines).",
            if *quoted { " and is wrapped in quotes" } else { "" }
        ),
        Finding::Expired { not_after, days } => format!(
            "The certificate expired on {} ({days} days ago); {to} will not accept it: issue a new certificate.",
            not_after.to_rfc3339()
        ),
        Finding::ExpiresSoon { not_after, days } => format!(
            "The certificate expires on {} (in {days} days); plan its replacement now.",
            not_after.to_rfc3339()
        ),
        Finding::FingerprintCommentMismatch { algorithm, actual } => format!(
            "The {algorithm} fingerprint in the comment above this block does not match the certificate (its {algorithm} is {actual}): the comment belongs to another certificate, or the certificate was swapped."
        ),
        Finding::InputBinary => "This is binary data that is neither a certificate nor a known container; export the certificate as PEM (text starting with -----BEGIN CERTIFICATE-----).".to_owned(),
        Finding::InputCsr => "This is a certificate signing request (CSR), not a certificate; send the CSR to your CA and upload the certificate it returns.".to_owned(),
        Finding::InputDer => "The input is a binary DER certificate; it was converted to PEM, which is what the API takes (fix: convert DER to PEM).".to_owned(),
        Finding::InputEmpty => "The input is empty; paste a PEM certificate (-----BEGIN CERTIFICATE----- …).".to_owned(),
        Finding::InputPkcs12 { contains_key: true } => "This is a PKCS#12 / PFX file, which bundles a private key with the certificate; export just the certificate as PEM (openssl pkcs12 -in file.p12 -nokeys -clcerts).".to_owned(),
        Finding::InputPkcs12 { contains_key: false } => "This is a PKCS#12 / PFX file (without a key bag), not PEM; export the certificates as PEM (openssl pkcs12 -in file.p12 -nokeys).".to_owned(),
        Finding::InputPkcs7 { certificates } => format!(
            "This is a PKCS#7 (.p7b) bundle holding {certificates} certificate(s), not PEM certificates; extract them (fix: extract PKCS#7 certificates, or openssl pkcs7 -print_certs)."
        ),
        Finding::InputPublicKey => "This is a bare public key, not a certificate; upload the certificate that contains it.".to_owned(),
        Finding::InputTooLarge { size, limit, which: SizeLimit::Destination } => format!(
            "The PEM is {size} characters, over {to}'s limit of {limit}; send only the one CA certificate, without comments or extra blocks."
        ),
        Finding::InputTooLarge { size, limit, which: SizeLimit::Global } => format!(
            "The input is {size} bytes, over certcheck's limit of {limit} bytes; no certificate upload is this large: check that this is the right file."
        ),
        Finding::KeyEncrypted => "This private key is encrypted, so it cannot be matched to its certificate and the API cannot use it; decrypt it first (openssl pkey -in key.pem -out plain.pem).".to_owned(),
        Finding::KeyMismatch { belongs_to: Some(index) } => format!(
            "This private key does not belong to the leaf certificate (#0) but to certificate #{index}; put the leaf that matches the key first, or use the leaf's key."
        ),
        Finding::KeyMismatch { belongs_to: None } => format!("This private key does not belong to the leaf certificate; {to} refuses the pair: use the key the leaf was issued for."),
        Finding::PeerKeyMismatch { belongs_to: Some(index) } => format!(
            "This private key does not belong to the presented certificate (#0) but to certificate #{index} of the same input; the TLS handshake would fail before {to} sees the certificate: present the certificate that matches the key, or use the certificate's own key."
        ),
        Finding::PeerKeyMismatch { belongs_to: None } => format!("This private key does not belong to the presented certificate: a peer using this pair fails the TLS handshake (it cannot prove it holds the certificate's key) before {to} sees the certificate; use the key the certificate was issued for."),
        Finding::KeyAlgorithm { algorithm } => format!("{to} accepts only RSA and ECDSA keys here, not {algorithm}; issue the CA with an RSA (≥ 2048) or ECDSA (≥ P-256) key."),
        Finding::LabelMismatch { begin, end } => format!(
            "The block begins with \"BEGIN {begin}\" but ends with \"END {end}\"; two blocks were probably spliced together (fix: make the END label match)."
        ),
        Finding::LineWidth { width } => format!(
            "Base64 lines are {width} characters wide instead of 64; certcheck tolerates it, strict RFC 7468 readers do not (fix: rewrap lines)."
        ),
        Finding::LookalikeCharacters { character } => format!(
            "{} stands where plain ASCII belongs, as copy-paste from documents and chat tools produces; parsers will not recognise the block (fix: replace look-alike characters).",
            describe_char(*character)
        ),
        Finding::NoKeyCertSign { key_usage_present: true } => "This CA's keyUsage lacks keyCertSign, so it may not sign certificates and verifiers will reject every certificate it issued; reissue it with keyUsage=critical,keyCertSign,cRLSign.".to_owned(),
        Finding::NoKeyCertSign { key_usage_present: false } => format!("This CA has no keyUsage extension; {to} requires keyUsage with keyCertSign: reissue it with keyUsage=critical,keyCertSign,cRLSign."),
        Finding::NoBlocks { bare_certificate: true } => "The text is the base64 of a certificate without its -----BEGIN/END CERTIFICATE----- lines (fix: add PEM armor).".to_owned(),
        Finding::NoBlocks { bare_certificate: false } => "No PEM block was found: a certificate starts with -----BEGIN CERTIFICATE----- and ends with -----END CERTIFICATE-----.".to_owned(),
        Finding::NoSubjectKeyId => format!("The CA has no subjectKeyIdentifier; {to} requires one, and server certificates' authorityKeyIdentifier must match it: reissue with subjectKeyIdentifier=hash."),
        Finding::NotCa { reason } => {
            let why = match reason {
                NotCaReason::CaFalse => "its basicConstraints says CA:FALSE",
                NotCaReason::NoBasicConstraints => "it has no basicConstraints extension",
                NotCaReason::Version1 => "it is an X.509 v1 certificate, which cannot carry basicConstraints",
            };
            format!("{to} needs a CA certificate here, but {why}: this looks like a leaf; upload the CA that issued it instead.")
        }
        Finding::NotDer { offset } => format!(
            "The certificate is BER, not DER, at byte {offset}; OpenSSL tolerates it, strict verifiers do not, and the fingerprint differs from a DER re-encoding: reissue it with a conforming tool."
        ),
        Finding::NotStrict { reason } => format!(
            "The block is readable, but a strict RFC 7468 parser refuses it ({reason}); certcheck tolerated it, and the normalized PEM is clean (fix: rewrap lines)."
        ),
        Finding::NotYetValid { not_before } => format!(
            "The certificate is not valid until {}; {to} will refuse it until then: check the issuing machine's clock.",
            not_before.to_rfc3339()
        ),
        Finding::ParseError { offset: Some(offset), reason } => format!("The certificate cannot be parsed at byte {offset}: {reason}; re-export it from its source."),
        Finding::ParseError { offset: None, reason } => format!("The certificate cannot be parsed: {reason}; re-export it from its source."),
        Finding::PrivateKeyPresent { kind } => format!(
            "A private key ({kind}) is in the input; {to} takes no private key here and it must never be shared: remove it (fix: drop the private key), and rotate it if it was sent anywhere."
        ),
        Finding::SerialInvalid { length, not_positive: true } => format!("The serial number ({length} octets) is zero or negative; RFC 5280 4.1.2.2 requires a positive serial."),
        Finding::SerialInvalid { length, not_positive: false } => format!("The serial number is {length} octets long; RFC 5280 4.1.2.2 allows at most 20 and some verifiers refuse longer ones."),
        Finding::SignatureAlgorithmMismatch { inner, outer } => format!(
            "The signature algorithm inside the certificate ({inner}) differs from the one outside ({outer}); RFC 5280 4.1.1.2 requires them to be identical and verifiers reject it."
        ),
        Finding::SignatureInvalid { issuer: Some(issuer) } => format!(
            "This certificate names certificate #{issuer} as its issuer (the names and key identifiers match), but #{issuer}'s key did not sign it: another key with the same name did (a regenerated CA?), or the bytes were changed; {to} will refuse the chain: use the CA that really issued it, or reissue the certificate from this one."
        ),
        Finding::SignatureInvalid { issuer: None } => "This self-signed certificate's own key does not verify its signature, so its bytes are corrupt or were tampered with; verifiers do not check a trust anchor's self-signature, but do not trust this copy: get the CA again from its source.".to_owned(),
        Finding::SignatureNotByIssuer { issuer } => format!(
            "This certificate names \"{issuer}\" as its issuer (the names and key identifiers match), but that CA's key did not sign it: another key with the same name did (a regenerated CA?), or the bytes were changed; {to} will refuse it: present a certificate issued by this CA, or upload the CA that really issued it."
        ),
        Finding::PeerAuthorityKeyId { missing: true } => format!(
            "The certificate has no authorityKeyIdentifier; {to} matches it to the issuing CA's subjectKeyIdentifier: reissue it with authorityKeyIdentifier=keyid."
        ),
        Finding::PeerAuthorityKeyId { missing: false } => format!(
            "The certificate's authorityKeyIdentifier is not the issuing CA's subjectKeyIdentifier (the CA has none, or another); {to} requires them to match: reissue it from the CA with authorityKeyIdentifier=keyid."
        ),
        Finding::PeerExtendedKeyUsage { purpose, intermediate: false } => format!(
            "The certificate's extendedKeyUsage does not include {purpose}, so {to} will refuse it for this connection: reissue it with extendedKeyUsage={purpose} (or without extendedKeyUsage)."
        ),
        Finding::PeerExtendedKeyUsage { purpose, intermediate: true } => format!(
            "This intermediate's extendedKeyUsage does not include {purpose}; verifiers apply it to every certificate it issued, so {to} will refuse the presented certificate: reissue the intermediate with {purpose} or without extendedKeyUsage."
        ),
        Finding::PeerIsCa => format!("The presented certificate is itself a CA (basicConstraints CA:TRUE); verifiers such as rustls-webpki refuse a CA as the end entity, so {to} may: present a leaf certificate (CA:FALSE) issued by it."),
        Finding::PeerKeyIdentifier { subject, problem } => match problem {
            KeyIdProblem::NoAuthorityKeyId => format!(
                "\"{subject}\" has no authorityKeyIdentifier, which RFC 5280 4.2.1.1 requires of every certificate a CA issued; OpenSSL (-x509_strict) and pyca/cryptography refuse the path, so {to} may: reissue it with authorityKeyIdentifier=keyid."
            ),
            KeyIdProblem::NoSubjectKeyId => format!(
                "\"{subject}\" issues on the path but has no subjectKeyIdentifier, which RFC 5280 4.2.1.2 requires of every CA; OpenSSL (-x509_strict) and pyca/cryptography refuse the path, so {to} may: reissue it with subjectKeyIdentifier=hash."
            ),
            KeyIdProblem::RootAuthorityKeyId { reason } => format!(
                "The authorityKeyIdentifier of the root \"{subject}\" breaks the CA/Browser Forum profile (BR 7.1.2.1.3): {reason}; pyca/cryptography refuses such a server path, so {to} may: reissue the root without authorityKeyIdentifier, or with keyIdentifier equal to its subjectKeyIdentifier only."
            ),
        },
        Finding::PeerProfile { subject, problem } => match problem {
            ProfileProblem::Criticality { extension, critical, rule } => format!(
                "\"{subject}\" marks its {extension} extension {}, against {rule}; strict verifiers (OpenSSL, pyca/cryptography) refuse the path, so {to} may: reissue it with the extension {}.",
                if *critical { "critical" } else { "non-critical" },
                if *critical { "non-critical" } else { "critical" }
            ),
            ProfileProblem::EmptyCaSubject => format!(
                "\"{subject}\" is a CA that issues on the path, but its subject is empty (RFC 5280 4.1.2.6: a CA's subject MUST be a non-empty name); strict verifiers refuse the path, so {to} may: reissue the CA with a subject."
            ),
            ProfileProblem::Malformed { extension, reason } => format!(
                "The {extension} extension of \"{subject}\" is malformed ({reason}); strict verifiers refuse the path, so {to} may: reissue it with a well-formed {extension} or without it."
            ),
            ProfileProblem::KeyAlgorithm { algorithm, server: true } => format!(
                "\"{subject}\" has a {algorithm} key; a server certificate's key must be RSA or ECDSA (CA/Browser Forum BR 6.1.5; what TLS peers negotiate), so {to} will refuse it: reissue it with an RSA or ECDSA key."
            ),
            ProfileProblem::KeyAlgorithm { algorithm, server: false } => format!(
                "\"{subject}\" has a {algorithm} key, which cannot sign a TLS handshake in the verifiers {to} runs (RSA, ECDSA and Ed25519 only), so {to} will refuse it: reissue it with an RSA or ECDSA key."
            ),
            ProfileProblem::RsaModulus { bits } => format!(
                "\"{subject}\" has an RSA key of {bits} bits, not a multiple of 8 (CA/Browser Forum BR 6.1.5); pyca/cryptography refuses such a server path, so {to} may: use a 2048-, 3072- or 4096-bit key."
            ),
            ProfileProblem::AnyExtendedKeyUsage => format!(
                "The extendedKeyUsage of \"{subject}\" includes anyExtendedKeyUsage, which a server certificate MUST NOT have (CA/Browser Forum BR 7.1.2.7.10); pyca/cryptography refuses it, so {to} may: reissue it with extendedKeyUsage=serverAuth only."
            ),
            ProfileProblem::CommonNameNotInSan { common_name } => format!(
                "The commonName \"{common_name}\" of \"{subject}\" is not a character-for-character copy of a subjectAltName entry (CA/Browser Forum BR 7.1.4.3: a DNS name as written, an address as RFC 3986 or RFC 5952 writes it); pyca/cryptography refuses it, so {to} may: reissue it with a commonName equal to one of its subjectAltName names, or without one."
            ),
            ProfileProblem::RootExtendedKeyUsage => format!(
                "The root \"{subject}\" has an extendedKeyUsage, which a root MUST NOT have (CA/Browser Forum BR 7.1.2.1.2); pyca/cryptography refuses such a server path, so {to} may: use a root without extendedKeyUsage."
            ),
        },
        Finding::PeerSerialInvalid { length, not_positive: true } => format!("The serial number ({length} octets) is zero or negative; RFC 5280 4.1.2.2 requires a positive serial, and pyca/cryptography refuses the path, so {to} may: reissue the certificate."),
        Finding::PeerSerialInvalid { length, not_positive: false } => format!("The serial number is {length} octets long; RFC 5280 4.1.2.2 allows at most 20, and pyca/cryptography refuses the path, so {to} may: reissue the certificate."),
        Finding::PeerIssuerKeyUsage { issued } => format!(
            "This certificate issues \"{issued}\" on the path, but its keyUsage lacks keyCertSign, so it may not sign certificates; {to} (like OpenSSL, Go and rustls-webpki) will refuse the path: reissue it with keyUsage keyCertSign."
        ),
        Finding::PeerIssuerNotCa { reason, issued } => {
            let why = match reason {
                NotCaReason::CaFalse => "its basicConstraints says CA:FALSE",
                NotCaReason::NoBasicConstraints => "it has no basicConstraints extension",
                NotCaReason::Version1 => "it is an X.509 v1 certificate, which cannot carry basicConstraints",
            };
            format!(
                "This certificate issues \"{issued}\" on the path, but it is not a CA ({why}): a certificate that is not a CA may not issue others, and {to} will refuse the path; issue the certificate from a CA (basicConstraints=critical,CA:TRUE)."
            )
        }
        Finding::PeerLeafKeyCertSign => "The certificate's keyUsage asserts keyCertSign, but it is not a CA (RFC 5280 4.2.1.3 allows keyCertSign only with CA:TRUE); strict verifiers refuse it: reissue it without keyCertSign.".to_owned(),
        Finding::PeerNameConstraints { ca, subject, problem } => match problem {
            NameConstraintProblem::Excluded { name, constraint } => format!(
                "\"{subject}\" has the name {name}, which the name constraints of \"{ca}\" exclude ({constraint}); {to} will refuse the path: issue it without that name, or from a CA allowed to certify it."
            ),
            NameConstraintProblem::NotPermitted { name, permitted } => format!(
                "\"{subject}\" has the name {name}, outside the subtrees the name constraints of \"{ca}\" permit ({}); {to} will refuse the path: issue it only for names that CA may certify.",
                permitted.join(", ")
            ),
            NameConstraintProblem::Malformed { reason } => format!(
                "The name constraints of \"{ca}\" cannot be honoured as written ({reason}), so verifiers refuse every path through it, including the one to \"{subject}\": reissue that CA with well-formed nameConstraints."
            ),
            NameConstraintProblem::Unchecked { name } => format!(
                "\"{subject}\" has the name {name}, which is not well formed (or of a form certcheck cannot compare) under the name constraints of \"{ca}\": it cannot be shown to satisfy them, and verifiers refuse it; reissue it with well-formed names."
            ),
            NameConstraintProblem::OnEndEntity => format!(
                "\"{subject}\" is not a CA but carries nameConstraints, which only a CA may (RFC 5280 4.2.1.10); strict verifiers refuse it: reissue it without the extension."
            ),
            NameConstraintProblem::TooComplex { limit } => format!(
                "Checking the names of \"{subject}\" against the name constraints of \"{ca}\" takes more than {limit} comparisons; verifiers give up on such paths (rustls-webpki caps them the same way): reduce the constraints or the names."
            ),
        },
        Finding::PeerNotYetValid { not_before } => format!(
            "The certificate is not valid until {}; {to}, like every verifier, refuses the path until then: check the issuing machine's clock, or wait.",
            not_before.to_rfc3339()
        ),
        Finding::PeerPathLength { ca, path_len, below } => format!(
            "\"{ca}\" allows at most {path_len} intermediate(s) below it (pathLenConstraint), but this path has {below}; {to} will refuse it: issue the certificate from a CA closer to the root, or reissue the CA with a larger pathLenConstraint."
        ),
        Finding::PeerKeyUsage => format!(
            "The certificate's keyUsage lacks digitalSignature, which TLS 1.3 needs to sign the handshake; {to} (like OpenSSL and BoringSSL) will refuse it: reissue it with keyUsage=digitalSignature."
        ),
        Finding::PeerNameMismatch { wanted, names, has_san: false } => format!(
            "The certificate has no subjectAltName, so it covers no name: verifiers never fall back to the common name; reissue it with subjectAltName covering {wanted}{}.",
            if names.is_empty() { String::new() } else { format!(" (it has {})", names.join(", ")) }
        ),
        Finding::PeerNameMismatch { wanted, names, has_san: true } => format!(
            "The subjectAltName ({}) does not cover {wanted}; {to} will refuse the certificate (\"bad certificate\"): reissue it with subjectAltName covering {wanted}.",
            if names.is_empty() { "no DNS name or IP address".to_owned() } else { names.join(", ") }
        ),
        Finding::PeerNotDirect { intermediates } => format!(
            "The certificate reaches the registered CA through {intermediates} intermediate(s), but {to} requires the server certificate to be signed directly by a registered CA: issue it from that CA, or register the intermediate."
        ),
        Finding::PeerOutlivesCa { not_after, ca_not_after } => format!(
            "The certificate is valid until {not_after}, past its CA's notAfter ({ca_not_after}): it stops verifying when the CA expires; plan the CA's rotation before then."
        ),
        Finding::PeerUnknownCa { issuer, cas, other_key: true } => format!(
            "A given CA is named \"{issuer}\", but with another key: its subjectKeyIdentifier is not the certificate's authorityKeyIdentifier, so it did not issue this certificate; {to} will answer \"unknown certificate authority\": upload the CA that issued it (given: {})."
        , cas.join("; ")),
        Finding::PeerUnknownCa { issuer, cas, other_key: false } => format!(
            "The certificate was issued by \"{issuer}\", but no given CA is that issuer and no given intermediate leads to one (CAs given: {}); {to} will answer \"unknown certificate authority\": upload the CA that issued it, or add the missing intermediate.",
            if cas.is_empty() { "none".to_owned() } else { cas.join("; ") }
        ),
        Finding::SignatureUnchecked { count, unavailable: true } => format!(
            "{count} signature(s) of this input were not verified: this build of certcheck leaves signature verification out (in the npm package's browser entry, `await load()` adds it); the CLI verifies them."
        ),
        Finding::SignatureUnchecked { count, unavailable: false } => format!(
            "{count} signature(s) of this input are not verified yet; they are checked next (a report that verifies them follows)."
        ),
        Finding::SignatureUnsupported { algorithm } => format!(
            "The signature algorithm ({algorithm}) is one certcheck cannot verify, so the signature is neither confirmed nor refuted here; a verifier that implements it will check it."
        ),
        Finding::TextOutsideBlocks { lines } => format!(
            "{lines} line(s) of text stand outside the PEM blocks; {to} may refuse or misread them (fix: drop text outside blocks)."
        ),
        Finding::TimeEncoding { field } => format!("{field} is encoded as GeneralizedTime for a date before 2050; RFC 5280 4.1.2.5 requires UTCTime there."),
        Finding::UnexpectedLabel { label } => format!("A \"{label}\" block is not something {to} takes here; remove it and keep the CERTIFICATE blocks."),
        Finding::UnknownCriticalExtension { oid } => format!(
            "The critical extension {oid} is one certcheck cannot interpret; a verifier that does not understand a critical extension must reject the certificate."
        ),
        Finding::Unterminated { label } => format!("\"BEGIN {label}\" has no matching END line: the paste was probably cut off; copy the whole block again."),
        Finding::WeakKey { key } => format!("The key ({key}) is too weak: use RSA with at least 2048 bits or ECDSA on P-256 or stronger."),
        Finding::ResponseExpiresOnDiffers { stored, local } => format!(
            "Gateway's expires_on is {stored} but the CA it returned expires {local}; the certificate is what Gateway deploys, so trust its notAfter."
        ),
        Finding::ResponseFingerprintMismatch { field, stored, local, matches_certificate: Some(index) } => format!(
            "{to} stored {field} {stored}, which is certificate #{index} of the local PEM, not the first one ({local}): the upload's order differs from what you meant; check which certificate was sent."
        ),
        Finding::ResponseFingerprintMismatch { field, stored, local, matches_certificate: None } => format!(
            "{to} stored {field} {stored}, but the local certificate's is {local}: the vendor holds a different certificate than this PEM; do not rely on it until you find out which was uploaded."
        ),
        Finding::ResponseMismatch { field, stored, local } => format!(
            "{to}'s {field} is {stored:?}, but the local certificate says {local:?}: the stored certificate is not the one you meant (or the response was altered)."
        ),
        Finding::WeakSignature { algorithm } => format!(
            "The certificate is signed with {algorithm}, which is broken; {to} requires SHA-256 or stronger: reissue it."
        ),
    }
}
