"""REST: the guild, its roles and its members."""

from __future__ import annotations

from aiohttp import web

from sandbox.errors import ApiError, FieldError, form_error, json_response, no_content
from sandbox.hub import Hub
from sandbox.model import JSON, Member, Role
from sandbox.payloads import guild_base_payload, member_payload, role_payload, user_payload
from sandbox.permissions import perm
from sandbox.rest import RestCall, Router
from sandbox.rest_core import _check_guild

router = Router()
MAX_ROLES = 250


def emit_member_update(hub: Hub, member: Member) -> None:
    data = member_payload(hub.world, member)
    data["guild_id"] = str(hub.world.guild.id)
    hub.gateway.dispatch("GUILD_MEMBER_UPDATE", data)


def _emit_role(hub: Hub, event: str, role: Role) -> None:
    hub.gateway.dispatch(
        f"GUILD_ROLE_{event}", {"guild_id": str(hub.world.guild.id), "role": role_payload(role)}
    )


@router.route("GET", "/guilds/{guild_id}")
async def get_guild(call: RestCall) -> web.Response:
    _check_guild(call)
    guild = call.hub.world.guild
    data = guild_base_payload(guild)
    if call.query.get("with_counts") in ("1", "true", "True"):
        data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
    return json_response(data)


@router.route("GET", "/guilds/{guild_id}/roles")
async def list_roles(call: RestCall) -> web.Response:
    _check_guild(call)
    roles = sorted(call.hub.world.guild.roles.values(), key=lambda r: r.position)
    return json_response([role_payload(r) for r in roles])


def _role_fields(hub: Hub, role: Role, body: JSON) -> None:
    if "name" in body and body["name"] is not None:  # its length was checked by sandbox.limits
        if not isinstance(body["name"], str):
            raise form_error(
                [FieldError("name", "STRING_TYPE_CONVERT", "Could not interpret value as string.")]
            )
        role.name = body["name"]
    if "permissions" in body and body["permissions"] is not None:
        value = int(body["permissions"])
        hub.require_grantable(value & ~role.permissions)
        role.permissions = value
    for key in ("color", "hoist", "mentionable"):
        if key in body and body[key] is not None:
            setattr(role, key, body[key])
    colors = body.get("colors")
    if isinstance(colors, dict) and colors.get("primary_color") is not None:
        role.color = int(colors["primary_color"])


@router.route("POST", "/guilds/{guild_id}/roles")
async def create_role(call: RestCall) -> web.Response:
    _check_guild(call)
    hub = call.hub
    hub.require(None, "manage_roles")
    guild = hub.world.guild
    if len(guild.roles) >= MAX_ROLES:
        raise ApiError(400, 30005, f"Maximum number of guild roles reached ({MAX_ROLES})")
    body = {"name": "new role", **call.json()}
    for role in guild.roles.values():
        if role.position >= 1:
            role.position += 1
    role = Role(id=hub.world.ids.next(), name="new role", permissions=0, position=1)
    _role_fields(hub, role, body)
    guild.roles[role.id] = role
    _emit_role(hub, "CREATE", role)
    return json_response(role_payload(role))


def _editable_role(call: RestCall) -> Role:
    _check_guild(call)
    hub = call.hub
    hub.require(None, "manage_roles")
    role_id = int(call.params["role_id"])
    hub.require_role_below_bot(role_id)
    return hub.world.guild.roles[role_id]


@router.route("PATCH", "/guilds/{guild_id}/roles/{role_id}")
async def patch_role(call: RestCall) -> web.Response:
    role = _editable_role(call)
    _role_fields(call.hub, role, call.json())
    _emit_role(call.hub, "UPDATE", role)
    return json_response(role_payload(role))


@router.route("DELETE", "/guilds/{guild_id}/roles/{role_id}")
async def delete_role(call: RestCall) -> web.Response:
    role = _editable_role(call)
    hub = call.hub
    guild = hub.world.guild
    if role.id == guild.id or role.managed:
        raise ApiError(400, 50028, "Invalid role")
    del guild.roles[role.id]
    for other in guild.roles.values():
        if other.position > role.position:
            other.position -= 1
    for channel in guild.channels.values():
        channel.overwrites.pop(role.id, None)
    hub.gateway.dispatch("GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)})
    for member in guild.members.values():
        if role.id in member.role_ids:
            member.role_ids.remove(role.id)
            emit_member_update(hub, member)
    return no_content()


@router.route("PATCH", "/guilds/{guild_id}/roles")
async def reorder_roles(call: RestCall) -> web.Response:
    _check_guild(call)
    hub = call.hub
    hub.require(None, "manage_roles")
    for item in call.body if isinstance(call.body, list) else []:
        role_id = int(item["id"])
        hub.require_role_below_bot(role_id)
        position = int(item.get("position") or 1)
        if position >= hub.bot_top_role_position():
            raise ApiError(403, 50013, "Missing Permissions")
        role = hub.world.guild.roles[role_id]
        role.position = position
        _emit_role(hub, "UPDATE", role)
    return json_response(
        [role_payload(r) for r in sorted(hub.world.guild.roles.values(), key=lambda r: r.position)]
    )


def _member(call: RestCall) -> Member:
    _check_guild(call)
    raw = call.params["user_id"]
    user_id = call.hub.world.bot_user_id if raw == "@me" else int(raw) if raw.isdigit() else 0
    member = call.hub.world.guild.members.get(user_id)
    if member is None:
        raise ApiError(404, 10007, "Unknown Member", violation=False)
    return member


@router.route("GET", "/guilds/{guild_id}/members")
async def list_members(call: RestCall) -> web.Response:
    _check_guild(call)
    world = call.hub.world
    limit = max(1, min(1000, int(call.query.get("limit", "1") or 1)))
    after = int(call.query.get("after", "0") or 0)
    members = sorted((m for m in world.guild.members.values() if m.user_id > after), key=lambda m: m.user_id)
    return json_response([member_payload(world, m) for m in members[:limit]])


@router.route("GET", "/guilds/{guild_id}/members/{user_id}")
async def get_member(call: RestCall) -> web.Response:
    return json_response(member_payload(call.hub.world, _member(call)))


def _check_member_target(hub: Hub, member: Member) -> None:
    guild = hub.world.guild
    if member.user_id == guild.owner_id:
        raise ApiError(403, 50013, "Missing Permissions")
    positions = [guild.roles[r].position for r in member.role_ids if r in guild.roles]
    if member.user_id != hub.world.bot_user_id and max(positions, default=0) >= hub.bot_top_role_position():
        raise ApiError(403, 50013, "Missing Permissions")


def _set_roles(hub: Hub, member: Member, wanted: list[int]) -> None:
    hub.require(None, "manage_roles")
    changed = set(wanted) ^ set(member.role_ids)
    for role_id in changed:
        hub.require_role_below_bot(role_id)
        if hub.world.guild.roles[role_id].managed:
            raise ApiError(400, 50028, "Invalid role")
    member.role_ids = [r for r in wanted if r != hub.world.guild.id]


@router.route("PATCH", "/guilds/{guild_id}/members/{user_id}")
async def patch_member(call: RestCall) -> web.Response:
    hub = call.hub
    member = _member(call)
    body = call.json()
    is_self = member.user_id == hub.world.bot_user_id
    if "nick" in body:
        hub.require(None, "change_nickname" if is_self else "manage_nicknames")
        if not is_self:
            _check_member_target(hub, member)
        member.nick = body["nick"] or None
    if "roles" in body and body["roles"] is not None:
        _set_roles(hub, member, [int(r) for r in body["roles"]])
    if "communication_disabled_until" in body:
        hub.require(None, "moderate_members")
        _check_member_target(hub, member)
        if hub.member_permissions(member.user_id, None) & perm("administrator"):
            raise ApiError(403, 50013, "Missing Permissions")
        member.communication_disabled_until = body["communication_disabled_until"]
    emit_member_update(hub, member)
    return json_response(member_payload(hub.world, member))


@router.route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def add_member_role(call: RestCall) -> web.Response:
    hub = call.hub
    member = _member(call)
    role_id = int(call.params["role_id"])
    if role_id not in hub.world.guild.roles:
        raise ApiError(404, 10011, "Unknown Role", violation=False)
    if role_id not in member.role_ids:
        _set_roles(hub, member, [*member.role_ids, role_id])
        emit_member_update(hub, member)
    return no_content()


@router.route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def remove_member_role(call: RestCall) -> web.Response:
    hub = call.hub
    member = _member(call)
    role_id = int(call.params["role_id"])
    if role_id in member.role_ids:
        _set_roles(hub, member, [r for r in member.role_ids if r != role_id])
        emit_member_update(hub, member)
    return no_content()


@router.route("DELETE", "/guilds/{guild_id}/members/{user_id}")
async def kick_member(call: RestCall) -> web.Response:
    hub = call.hub
    member = _member(call)
    hub.require(None, "kick_members")
    _check_member_target(hub, member)
    del hub.world.guild.members[member.user_id]
    user = hub.world.users[member.user_id]
    hub.gateway.dispatch(
        "GUILD_MEMBER_REMOVE", {"guild_id": str(hub.world.guild.id), "user": user_payload(user)}
    )
    return no_content()


@router.route("GET", "/guilds/{guild_id}/roles/{role_id}")
async def get_role(call: RestCall) -> web.Response:
    _check_guild(call)
    role = call.hub.world.guild.roles.get(call.id_param("role_id", ApiError(404, 10011, "Unknown Role")))
    if role is None:
        raise ApiError(404, 10011, "Unknown Role", violation=False)
    return json_response(role_payload(role))


@router.route("GET", "/guilds/{guild_id}/members/search")
async def search_members(call: RestCall) -> web.Response:
    _check_guild(call)
    world = call.hub.world
    query = call.query.get("query", "").lower()
    limit = max(1, min(1000, int(call.query.get("limit", "1") or 1)))
    found = [
        m
        for m in world.guild.members.values()
        if world.users[m.user_id].username.lower().startswith(query)
        or (m.nick or "").lower().startswith(query)
    ]
    return json_response([member_payload(world, m) for m in found[:limit]])


@router.route("GET", "/users/@me/guilds")
async def my_guilds(call: RestCall) -> web.Response:
    guild = call.hub.world.guild
    bot_permissions = call.hub.bot_permissions()
    return json_response(
        [
            {
                "id": str(guild.id),
                "name": guild.name,
                "icon": None,
                "banner": None,
                "owner": False,
                "permissions": str(bot_permissions),
                "features": [],
            }
        ]
    )
