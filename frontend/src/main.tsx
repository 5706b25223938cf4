import "@mantine/core/styles.css";
import "./app.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { MantineProvider } from "@mantine/core";
import { Provider as UrqlProvider } from "urql";
import { BrowserRouter } from "react-router";
import "./i18n";
import { makeClient } from "./api";
import { SessionProvider } from "./auth";
import { App } from "./App";
import { cssVariablesResolver, theme } from "./theme";

// A session that ends while the app is open: back to the sign-in page,
// with nothing of the old session left in memory.
const client = makeClient(() => window.location.assign("/"));
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
        <UrqlProvider value={client}>
          <BrowserRouter>
            <SessionProvider>
              <App />
            </SessionProvider>
          </BrowserRouter>
        </UrqlProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
