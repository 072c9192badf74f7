"""Stand-in: conda-lock's v1 lockfile model, as a permissive pydantic model."""
from pydantic import BaseModel


class Lockfile(BaseModel):
    class Config:
        extra = "allow"
