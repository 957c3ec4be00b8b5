import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { isAddress, type Address } from "viem";
import { WagmiProvider } from "wagmi";

import { ConfigContext, ErrorBox, useWallet } from "./app.tsx";
import { WalletBar } from "./components/Wallet.tsx";
import { loadConfig, wagmiConfig, type AppConfig } from "./config.ts";
import { AttesterPage } from "./pages/Attester.tsx";
import { ContributorPage } from "./pages/Contributor.tsx";
import { DatanetPage } from "./pages/Datanet.tsx";
import { HomePage } from "./pages/Home.tsx";
import { ModelPage } from "./pages/Model.tsx";
import "./style.css";

/** The page the location hash names: #/, #/account/0x…, #/datanet/1, #/model/1, #/attester. */
function useRoute(): string[] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash.replace(/^#\/?/, "").split("/").filter(Boolean);
}

function Page() {
  const [page, arg] = useRoute();
  const { address } = useWallet();
  const id = arg !== undefined && /^\d+$/.test(arg) ? arg : undefined;
  switch (page) {
    case undefined:
      return <HomePage />;
    case "account": {
      const account = arg ?? address;
      if (!account)
        return <ErrorBox>NoWallet: connect a wallet, or open #/account/0x… for any address.</ErrorBox>;
      if (!isAddress(account)) return <ErrorBox>InvalidAddress: {account} is not an address.</ErrorBox>;
      return <ContributorPage account={account as Address} />;
    }
    case "datanet":
      return id ? (
        <DatanetPage id={id} />
      ) : (
        <ErrorBox>InvalidId: a datanet id is a positive number.</ErrorBox>
      );
    case "model":
      return id ? <ModelPage id={id} /> : <ErrorBox>InvalidId: a model id is a positive number.</ErrorBox>;
    case "attester":
      return <AttesterPage />;
    default:
      return <ErrorBox>NotFound: there is no page #/{page}.</ErrorBox>;
  }
}

function App({ config }: { config: AppConfig }) {
  const [wagmi] = useState(() => wagmiConfig(config));
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1 } } }));
  return (
    <ConfigContext.Provider value={config}>
      <WagmiProvider config={wagmi}>
        <QueryClientProvider client={queryClient}>
          <header>
            <nav>
              <a href="#/">Home</a>
              <a href="#/account">My contributions</a>
              <a href="#/attester">Attesters</a>
            </nav>
            <WalletBar />
          </header>
          <main>
            <Page />
          </main>
          <footer className="muted">
            {config.deployment.network} (chain {config.deployment.chainId}) · indexer {config.indexerUrl}
          </footer>
        </QueryClientProvider>
      </WagmiProvider>
    </ConfigContext.Provider>
  );
}

const root = createRoot(document.getElementById("root")!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: Error) =>
    root.render(
      <p className="error" role="alert">
        {error.message}
      </p>,
    ),
);
