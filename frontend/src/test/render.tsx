import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { never } from "wonka";
import "../i18n";
import { theme } from "../theme";

/** A urql client that never answers (components that only need the provider). */
export const silentClient = {
  executeQuery: () => never,
  executeMutation: () => never,
  executeSubscription: () => never,
} as unknown as Client;

/** Renders inside the providers the app has (theme, router, GraphQL, i18n). */
export function renderWithApp(ui: ReactElement, client: Client = silentClient) {
  return render(
    <MantineProvider theme={theme}>
      <Provider value={client}>
        <MemoryRouter>{ui}</MemoryRouter>
      </Provider>
    </MantineProvider>,
  );
}
