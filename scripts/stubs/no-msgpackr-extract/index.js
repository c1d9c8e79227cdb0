// msgpackr loads its native extractor inside try/catch: throwing here selects its pure-JS path.
throw new Error('msgpackr-extract is not installed in aokit (optional native add-on)')
