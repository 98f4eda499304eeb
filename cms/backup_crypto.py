"""Optional encryption of backups with ``BACKUP_ENCRYPTION_KEY`` (Fernet, from ``cryptography``).

A backup holds members' names, addresses and phone numbers, so it should not lie around readable.
With the key set, ``backup_site`` encrypts the finished archive and ``restore_site`` decrypts it.
The file is written in chunks of 1 MiB, each its own Fernet token (AES-128-CBC with an
HMAC-SHA256, https://cryptography.io/en/latest/fernet/), so large media never sit in memory whole:

    MAGIC, then per chunk: 4-byte big-endian length + token of (8-byte chunk number + data),
    then a 4-byte zero length as the end marker.

The chunk numbers stop chunks from being reordered or dropped, the end marker detects truncation.
Make a key with ``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key()
.decode())"`` and keep it apart from the backups: without it they cannot be restored.
"""

import struct

from cryptography.fernet import Fernet, InvalidToken

from django.conf import settings

MAGIC = b"STADSDORPEN-BACKUP-FERNET-1\n"
CHUNK_SIZE = 1024 * 1024
LENGTH = struct.Struct(">I")
INDEX = struct.Struct(">Q")


class BackupCryptoError(Exception):
    """A message for the person restoring (Dutch)."""


def configured_key():
    return (getattr(settings, "BACKUP_ENCRYPTION_KEY", "") or "").strip()


def fernet(key):
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as error:
        raise BackupCryptoError(
            "BACKUP_ENCRYPTION_KEY is geen geldige sleutel (32 bytes, url-safe base64)."
        ) from error


def is_encrypted(path):
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def encrypt_file(source, target, key):
    box = fernet(key)
    with open(source, "rb") as plain, open(target, "wb") as out:
        out.write(MAGIC)
        index = 0
        while chunk := plain.read(CHUNK_SIZE):
            token = box.encrypt(INDEX.pack(index) + chunk)
            out.write(LENGTH.pack(len(token)))
            out.write(token)
            index += 1
        out.write(LENGTH.pack(0))


def decrypt_file(source, target, key):
    if not key:
        raise BackupCryptoError(
            "Deze back-up is versleuteld: zet BACKUP_ENCRYPTION_KEY op de sleutel waarmee hij is "
            "gemaakt."
        )
    box = fernet(key)
    with open(source, "rb") as encrypted, open(target, "wb") as out:
        if encrypted.read(len(MAGIC)) != MAGIC:
            raise BackupCryptoError("Dit is geen versleutelde back-up.")
        index = 0
        while True:
            header = encrypted.read(LENGTH.size)
            if len(header) != LENGTH.size:
                raise BackupCryptoError("De versleutelde back-up is onvolledig (afgebroken).")
            (length,) = LENGTH.unpack(header)
            if length == 0:
                break
            token = encrypted.read(length)
            if len(token) != length:
                raise BackupCryptoError("De versleutelde back-up is onvolledig (afgebroken).")
            try:
                plain = box.decrypt(token)
            except InvalidToken:
                raise BackupCryptoError(
                    "De back-up kan niet worden ontsleuteld: verkeerde sleutel of beschadigd "
                    "bestand."
                ) from None
            if INDEX.unpack(plain[: INDEX.size])[0] != index:
                raise BackupCryptoError("De versleutelde back-up is beschadigd (volgorde).")
            out.write(plain[INDEX.size :])
            index += 1
        if encrypted.read(1):
            raise BackupCryptoError("De versleutelde back-up is beschadigd (data na het einde).")
