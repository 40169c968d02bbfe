"""Creating, migrating and removing region schemas fast and resumably."""
