"""The templates sdkforge renders, shipped inside it as package data (not imported code)."""
