"""Business rules: one small pure function per rule, grouped in families (see registry)."""
