"""Paired assistance: the five posts of each poor village and the East-West pairings of
developed cities with poor counties. Its pages, API, selectors and services live here; it
sits above the registry, whose households tell which villages are poor.

The models (``PairingPost``, ``RegionPairing`` and their history tables) stay in the helpers
app, in ``aidbridge.helpers.models``: moving them would need a state-only migration in two
apps for four tables and their history, a risk this refactoring does not take."""
