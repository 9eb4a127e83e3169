# The workspace's monthly purchases chart: key_account_mgmt/desk/charts.py
