"""Stand-in for aioshutil (not packaged by Debian), for the Alembic side of
tools/realworld only: quetz's package stores import it (`quetz.config`
imports `quetz.pkgstores`); no migration calls it."""
import asyncio
import shutil


async def copyfileobj(fsrc, fdst, length=0):
    await asyncio.get_running_loop().run_in_executor(None, shutil.copyfileobj, fsrc, fdst, length)
