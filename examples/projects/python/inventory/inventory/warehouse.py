"""The warehouse's stock counts, as its service answers them: asynchronously."""
import asyncio


async def stock_level(stock, sku):
    """Units of `sku` on the shelves. In production a network call; here a lookup that yields to the event loop."""
    await asyncio.sleep(0)
    return stock.get(sku, 0)
