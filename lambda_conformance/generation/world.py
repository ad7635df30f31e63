"""What exists on the target: the fixture functions, their versions and aliases."""

from __future__ import annotations

from dataclasses import dataclass, field

LATEST = "$LATEST"


@dataclass(frozen=True)
class World:
    """The target's functions as the manifest (or provisioning) declares them."""

    region: str
    account: str
    functions: dict[str, str]  # role -> function name
    versions: dict[str, frozenset[str]] = field(default_factory=dict)  # name -> versions
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> alias -> version
    callback_host: str = "127.0.0.1"
    concurrency_control: bool = False

    def name_of(self, role: str) -> str | None:
        return self.functions.get(role)

    def role_of(self, name: str) -> str | None:
        for role, function in self.functions.items():
            if function == name:
                return role
        return None

    def exists(self, name: str) -> bool:
        return self.role_of(name) is not None

    def resolve(self, name: str, qualifier: str | None) -> str | None:
        """The version a qualifier selects, or None when the function has no such qualifier."""
        if not self.exists(name):
            return None
        if qualifier is None or qualifier == LATEST:
            return LATEST
        if qualifier in self.versions.get(name, frozenset()):
            return qualifier
        return self.aliases.get(name, {}).get(qualifier)

    def known_qualifiers(self) -> frozenset[str]:
        known = {LATEST}
        for versions in self.versions.values():
            known |= versions
        for aliases in self.aliases.values():
            known |= set(aliases)
        return frozenset(known)
