"""Views of the teams app, by audience: registration, board and team pages, captains'
actions, invitations, organizers."""
