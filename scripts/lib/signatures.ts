import { ethers } from "ethers";

/** EIP-712 domain name and version of ContributionRegistry. */
export const CONTRIBUTION_DOMAIN = { name: "OpenAttribution ContributionRegistry", version: "1" } as const;

/** EIP-712 types of a gasless contribution (see IContributionRegistry.SignedContribution). */
export const CONTRIBUTE_TYPES = {
  Contribute: [
    { name: "contributor", type: "address" },
    { name: "datanetId", type: "uint256" },
    { name: "contentHash", type: "bytes32" },
    { name: "uriHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** What a contributor signs for a gasless contribution. */
export interface ContributionToSign {
  datanetId: bigint;
  contentHash: string;
  uri: string;
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
    CONTRIBUTE_TYPES,
    { contributor, ...message, uriHash: ethers.id(message.uri) },
  );
  return {
    contributor,
    datanetId: message.datanetId,
    contentHash: message.contentHash,
    uri: message.uri,
    deadline: message.deadline,
    signature,
  };
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
    {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
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
