"""Counting requests and sign-in failures against their limits, exactly, across every server process."""
