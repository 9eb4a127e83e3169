# The donut's data comes from key_account_mgmt.desk.tiers.accounts_by_tier.
