"""Read-only admin: changes to teams go through the organizers' pages and their services."""

from django.contrib import admin

from hackqc.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Invitation, JoinRequest, Membership, Registration, Skill, Team, TeamLog


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fields = ["user", "is_captain", "joined_at"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "edition", "challenge", "is_open", "created_at"]
    list_filter = ["edition", "is_open"]
    search_fields = ["name"]
    readonly_fields = ["join_code", "created_at"]
    inlines = [MembershipInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["user", "edition", "role", "organisation", "show_profile", "created_at"]
    list_filter = ["edition", "role", "participant_type", "show_profile"]
    search_fields = ["user__email", "user__display_name", "organisation"]
    readonly_fields = ["rules_version", "rules_accepted_at", "registered_by", "created_at"]


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "team", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token"]
    search_fields = ["email", "team__name"]


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ["user", "team", "status", "created_at"]
    list_filter = ["status"]


@admin.register(TeamLog)
class TeamLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "team_name", "action", "actor", "subject", "by_organizer"]
    list_filter = ["action", "by_organizer"]
