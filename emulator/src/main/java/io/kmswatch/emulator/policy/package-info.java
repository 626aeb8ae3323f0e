/**
 * KMS authorization as AWS documents it: key policies, IAM identity policies and grants, with explicit deny
 * winning, the key policy's delegation to the account, the cross-account handshake, and IAM condition
 * operators. {@link io.kmswatch.emulator.policy.PolicyEvaluator} decides a
 * {@link io.kmswatch.emulator.policy.PolicyRequest}; {@link io.kmswatch.emulator.policy.PolicyDocument} parses
 * and validates policy text; {@link io.kmswatch.emulator.policy.KeyPolicies} writes the default key policy.
 */
package io.kmswatch.emulator.policy;
