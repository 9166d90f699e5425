"""Gift vouchers: selling them, sending them, redeeming them at the studio."""
