"""Evidence for the BIO and ENSIA from the programme's own data, and the programme's maturity self-assessment."""
