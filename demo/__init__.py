"""The demo: Hải Phòng (2025 published, 2026 in progress) with Hải Dương's 2021–2022 as the
history of a merged province, and its logins, built by `load_demo`."""
