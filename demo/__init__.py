"""The demo province (Hải Dương 2021–2023) and its logins, built by `load_demo`."""
