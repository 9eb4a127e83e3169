"""Test-only: the integration and browser suites and their harnesses (factories, the throwaway MariaDB
server, the concurrency and reliability drivers, the browser). Nothing of the app imports this package
or names it in a hook (tests/pure/test_layout.py checks it), so a production site never loads it."""
