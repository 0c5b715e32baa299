"""Known robots, by User-Agent: crawlers, link previewers, monitors, HTTP libraries.

The patterns are those of ``crawler-user-agents`` (the list kept at
github.com/monperrus/crawler-user-agents, some 1,500 patterns, updated monthly;
pinned in ``pyproject.toml``), which also names headless browsers. A request with
no User-Agent, or one longer than any browser sends, is no reader's either.
"""

from __future__ import annotations

from functools import lru_cache

MAX_USER_AGENT = 512


def is_bot(user_agent: str) -> bool:
    """Whether ``user_agent`` is a known robot's (or none at all)."""
    if not user_agent or len(user_agent) > MAX_USER_AGENT:
        return True
    return _matches(user_agent)


# Browsers send a few hundred distinct strings; matching one against the whole list
# costs ~0.1 ms, a memo hit nothing. Bounded, so a flood of random strings costs
# the matching and no memory.
@lru_cache(maxsize=2048)
def _matches(user_agent: str) -> bool:
    import crawleruseragents  # loaded on the first beacon, not by every process

    return crawleruseragents.is_crawler(user_agent)
