"""The books a reader marks as favorites: adding one twice changes nothing."""
