"""Envelope encryption round trip with boto3 against the KMS emulator, as in the guide's Python example.

generate_data_key -> AES-256-GCM locally with the plaintext data key -> forget the plaintext key ->
decrypt the stored data key blob with KMS -> decrypt the data locally. Prints OK and the key ARN on success;
exits non-zero on any mismatch. Endpoint and key come from argv: <endpoint> <key-id>.
"""
import os
import sys

import boto3
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def main():
    endpoint, key_id = sys.argv[1], sys.argv[2]
    kms = boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1")
    context = {"Purpose": "envelope-demo"}
    data_key = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext=context)
    plaintext_key = data_key["Plaintext"]
    encrypted_key = data_key["CiphertextBlob"]
    assert len(plaintext_key) == 32, len(plaintext_key)
    assert data_key["ResponseMetadata"]["RequestId"], "missing request id"

    message = b"customer record: account 42, balance 1000"
    nonce = os.urandom(12)
    sealed = AESGCM(plaintext_key).encrypt(nonce, message, None)
    del plaintext_key

    recovered = kms.decrypt(CiphertextBlob=encrypted_key, EncryptionContext=context)
    opened = AESGCM(recovered["Plaintext"]).decrypt(nonce, sealed, None)
    assert opened == message, "round trip mismatch"
    try:
        kms.decrypt(CiphertextBlob=encrypted_key, EncryptionContext={"Purpose": "other"})
        raise SystemExit("decrypt under a wrong context succeeded")
    except kms.exceptions.InvalidCiphertextException:
        pass
    try:
        kms.describe_key(KeyId="alias/does-not-exist")
        raise SystemExit("describe of a missing alias succeeded")
    except kms.exceptions.NotFoundException:
        pass
    print("OK " + recovered["KeyId"])


if __name__ == "__main__":
    main()
