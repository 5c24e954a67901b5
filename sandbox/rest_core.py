"""REST: the bot user, the application, the gateway, application commands and DM channels."""

from __future__ import annotations

from aiohttp import web

from sandbox.commands import check_commands, store_commands
from sandbox.errors import ApiError, form_error, json_response, no_content, unknown
from sandbox.gateway import APPLICATION_FLAGS
from sandbox.payloads import channel_payload, user_payload
from sandbox.rest import RestCall, Router

router = Router()


@router.route("GET", "/users/@me")
async def get_me(call: RestCall) -> web.Response:
    bot = call.hub.world.bot_user
    return json_response(
        {
            **user_payload(bot),
            "verified": True,
            "mfa_enabled": False,
            "email": None,
            "locale": "en-US",
            "premium_type": 0,
        }
    )


@router.route("GET", "/users/{user_id}")
async def get_user(call: RestCall) -> web.Response:
    user = call.hub.world.users.get(call.id_param("user_id", unknown("User", 10013)))
    if user is None:
        raise unknown("User", 10013)
    return json_response(user_payload(user))


@router.route("GET", "/oauth2/applications/@me")
@router.route("GET", "/applications/@me")
async def get_application(call: RestCall) -> web.Response:
    world = call.hub.world
    owner = next(u for u in world.users.values() if u.id == world.guild.owner_id)
    return json_response(
        {
            "id": str(world.application_id),
            "name": world.bot_user.username,
            "icon": None,
            "description": "NSS-CoP community bot (sandbox)",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": user_payload(owner),
            "team": None,
            "flags": APPLICATION_FLAGS,
            "interactions_endpoint_url": None,
            "tags": [],
            "install_params": None,
            "redirect_uris": [],
            "approximate_guild_count": 1,
            "bot": user_payload(world.bot_user),
        }
    )


@router.route("GET", "/gateway")
async def get_gateway(call: RestCall) -> web.Response:
    return json_response({"url": call.hub.gateway_url.rstrip("/")})


@router.route("GET", "/gateway/bot")
async def get_gateway_bot(call: RestCall) -> web.Response:
    limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
    return json_response({"url": call.hub.gateway_url.rstrip("/"), "shards": 1, "session_start_limit": limit})


def _check_application(call: RestCall) -> None:
    if call.params["application_id"] != str(call.hub.world.application_id):
        raise ApiError(403, 50001, "Missing Access")


def _check_guild(call: RestCall) -> int:
    guild_id = call.params.get("guild_id", "")
    if guild_id != str(call.hub.world.guild.id):
        raise ApiError(404, 10004, "Unknown Guild")
    return int(guild_id)


@router.route("PUT", "/applications/{application_id}/commands")
@router.route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
async def put_commands(call: RestCall) -> web.Response:
    _check_application(call)
    guild_id = _check_guild(call) if "guild_id" in call.params else None
    body = call.body if call.body is not None else []
    errors = check_commands(body)
    if errors:
        raise form_error(errors)
    return json_response(store_commands(call.hub.world, body, guild_id))


@router.route("GET", "/applications/{application_id}/commands")
@router.route("GET", "/applications/{application_id}/guilds/{guild_id}/commands")
async def get_commands(call: RestCall) -> web.Response:
    _check_application(call)
    world = call.hub.world
    if "guild_id" in call.params:
        _check_guild(call)
        return json_response(world.guild_commands)
    return json_response(world.global_commands)


@router.route("POST", "/applications/{application_id}/commands")
@router.route("POST", "/applications/{application_id}/guilds/{guild_id}/commands")
async def upsert_command(call: RestCall) -> web.Response:
    _check_application(call)
    guild_id = _check_guild(call) if "guild_id" in call.params else None
    body = call.json()
    errors = check_commands([body])
    if errors:
        raise form_error(errors)
    world = call.hub.world
    current = world.guild_commands if guild_id is not None else world.global_commands
    others = [
        c for c in current if not (c["name"] == body.get("name") and c["type"] == int(body.get("type") or 1))
    ]
    stored = store_commands(world, [*others, body], guild_id)
    return json_response(stored[-1], 201)


@router.route("DELETE", "/applications/{application_id}/commands/{command_id}")
@router.route("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(call: RestCall) -> web.Response:
    _check_application(call)
    world = call.hub.world
    scope = "guild_commands" if "guild_id" in call.params else "global_commands"
    commands = getattr(world, scope)
    remaining = [c for c in commands if c["id"] != call.params["command_id"]]
    if len(remaining) == len(commands):
        raise unknown("application command", 10063)
    setattr(world, scope, remaining)
    return no_content()


@router.route("POST", "/users/@me/channels")
async def create_dm(call: RestCall) -> web.Response:
    world = call.hub.world
    recipient = str(call.json().get("recipient_id", ""))
    if not recipient.isdigit() or int(recipient) not in world.users:
        raise ApiError(400, 50033, "Invalid Recipient(s)")
    if int(recipient) == world.bot_user_id:
        raise ApiError(400, 50007, "Cannot send messages to this user")
    if not any(int(recipient) in guild.members for guild in world.guilds.values()):
        raise ApiError(400, 50278, "No mutual guilds", violation=False)
    return json_response(channel_payload(world, world.dm_channel_for(int(recipient))))
