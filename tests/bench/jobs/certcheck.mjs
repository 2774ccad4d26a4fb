// certcheck: one call for the whole bundle; the report already holds every field of the job.
// `inspect` comes from the package's Node or browser entry (the harness picks it).
export function makeJob(inspect) {
  return (text) =>
    inspect(text).certificates.map((c) => ({
      subject: c.subject,
      notAfter: c.not_after,
      isCA: c.is_ca,
      sha256: c.fingerprints.sha256,
      md5: c.fingerprints.md5,
    }));
}
