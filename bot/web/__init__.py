"""The bot's web surface (DESIGN §11): one aiohttp application inside the bot process.

Routes are thin like cogs: they check the request, call one service, and answer. See `server.py`."""
