"""Rules every layer shares, each in one place: settings, URL scope, stand-in page detection."""
