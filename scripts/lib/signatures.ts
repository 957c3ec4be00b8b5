import { ethers } from "ethers";

import { COMMIT_TYPES, CONTRIBUTE_TYPES, CONTRIBUTION_DOMAIN_NAME } from "../../sdk/actions/contributions.js";
import { PERMIT_TYPES } from "../../sdk/actions/token.js";

/** EIP-712 domain name and version of ContributionRegistry. */
export const CONTRIBUTION_DOMAIN = { name: CONTRIBUTION_DOMAIN_NAME, version: "1" } as const;

/** What a contributor signs for a gasless contribution. */
export interface ContributionToSign {
  datanetId: bigint;
  contentHash: string;
  uri: string;
  /** The largest bond the contributor accepts. */
  maxBond: bigint;
  nonce: bigint;
  deadline: bigint;
}

/**
 * Signs a contribution with `signer` for the registry at `registry` on `chainId`, and
 * returns the `SignedContribution` tuple a relayer submits.
 */
export async function signContribution(
  signer: ethers.Signer,
  registry: string,
  chainId: bigint,
  message: ContributionToSign,
) {
  const contributor = await signer.getAddress();
  const signature = await signer.signTypedData(
    { ...CONTRIBUTION_DOMAIN, chainId, verifyingContract: registry },
    { Contribute: [...CONTRIBUTE_TYPES.Contribute] },
    { contributor, ...message, uriHash: ethers.id(message.uri) },
  );
  return {
    contributor,
    datanetId: message.datanetId,
    contentHash: message.contentHash,
    uri: message.uri,
    maxBond: message.maxBond,
    deadline: message.deadline,
    signature,
  };
}

/**
 * Signs `commitment` for `contributor` (default: the signer) with `signer`, for the registry at
 * `registry` on `chainId`: what `commitWithSig` takes.
 */
export async function signCommitment(
  signer: ethers.Signer,
  registry: string,
  chainId: bigint,
  message: { commitment: string; nonce: bigint; deadline: bigint; contributor?: string },
): Promise<string> {
  const contributor = message.contributor ?? (await signer.getAddress());
  return signer.signTypedData(
    { ...CONTRIBUTION_DOMAIN, chainId, verifyingContract: registry },
    { Commit: [...COMMIT_TYPES.Commit] },
    { contributor, commitment: message.commitment, nonce: message.nonce, deadline: message.deadline },
  );
}

/** Signs an ERC-2612 permit of `owner` (default: the signer) on the token at `token`. */
export async function signPermit(
  signer: ethers.Signer,
  token: { name: string; address: string },
  chainId: bigint,
  message: { spender: string; value: bigint; nonce: bigint; deadline: bigint; owner?: string },
) {
  const owner = message.owner ?? (await signer.getAddress());
  const signature = await signer.signTypedData(
    { name: token.name, version: "1", chainId, verifyingContract: token.address },
    { Permit: [...PERMIT_TYPES.Permit] },
    {
      owner,
      spender: message.spender,
      value: message.value,
      nonce: message.nonce,
      deadline: message.deadline,
    },
  );
  const { v, r, s } = ethers.Signature.from(signature);
  return { value: message.value, deadline: message.deadline, v, r, s };
}
