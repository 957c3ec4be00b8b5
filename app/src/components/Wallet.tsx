import { useConnect, useDisconnect, useSwitchChain } from "wagmi";

import { useConfig, useWallet } from "../app.tsx";
import { Hex } from "./Address.tsx";

/** Connect / disconnect, and the wrong-network warning with a switch button. */
export function WalletBar() {
  const { deployment } = useConfig();
  const { address, isConnected, chainId, wrongNetwork } = useWallet();
  const { connectors, connect, error: connectError } = useConnect();
  const { disconnect } = useDisconnect();
  const { switchChain } = useSwitchChain();
  if (!isConnected) {
    const injected = connectors[0];
    const hasWallet = typeof window !== "undefined" && "ethereum" in window;
    return (
      <div className="wallet">
        {hasWallet ? (
          <button type="button" onClick={() => connect({ connector: injected })}>
            Connect wallet
          </button>
        ) : (
          <span className="warning" role="alert">
            NoWallet: no browser wallet found. Install one (MetaMask, Rabby) to send transactions; reading
            works without.
          </span>
        )}
        {connectError && <span className="error">{connectError.message}</span>}
      </div>
    );
  }
  return (
    <div className="wallet">
      <Hex value={address!} href={`#/account/${address}`} />
      <button type="button" onClick={() => disconnect()}>
        Disconnect
      </button>
      {wrongNetwork && (
        <p className="error" role="alert" data-testid="wrong-network">
          WrongNetwork: your wallet is on chain {chainId}; this deployment ({deployment.network}) is on chain{" "}
          {deployment.chainId}.{" "}
          <button type="button" onClick={() => switchChain({ chainId: deployment.chainId })}>
            Switch network
          </button>
        </p>
      )}
    </div>
  );
}
