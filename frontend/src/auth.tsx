import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { useMutation, useQuery } from "urql";
import { graphql } from "./gql";
import type { Capability, ViewerFieldsFragment } from "./gql/graphql";

export type { Capability };

export const ViewerFields = graphql(`
  fragment ViewerFields on Viewer {
    id
    email
    displayName
    roles
    capabilities
    sessionExpiresAt
    centre {
      id
      name
      region
      seat
    }
    centres {
      active
      roles
      centre {
        id
        name
        seat
      }
    }
  }
`);

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      ...ViewerFields
    }
  }
`);

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

const SwitchCentreMutation = graphql(`
  mutation SwitchCentre($centreId: CentreId!) {
    switchCentre(centreId: $centreId) {
      ...ViewerFields
    }
  }
`);

/** Who is signed in, and the session actions. */
export interface Session {
  /** The signed-in user, or null. */
  viewer: ViewerFieldsFragment | null;
  /** Whether the first answer is still loading. */
  loading: boolean;
  /** Reloads the viewer (after sign-in). */
  refresh: () => void;
  /** Ends the session. */
  signOut: () => Promise<void>;
  /** Makes another of the user's centres the active one. */
  switchCentre: (centreId: string) => Promise<void>;
  /** Whether the server grants any of these capabilities in the active
   * centre (`Viewer.capabilities`: `COUNSEL`, `MANAGE_CENTRE`, …). */
  can: (...capabilities: Capability[]) => boolean;
}

const SessionContext = createContext<Session | null>(null);

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [{ data, fetching }, reexecute] = useQuery({
    query: ViewerQuery,
    requestPolicy: "network-only",
  });
  const [, signOutM] = useMutation(SignOutMutation);
  const [, switchM] = useMutation(SwitchCentreMutation);
  const viewer = data?.viewer ?? null;

  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const signOut = useCallback(async () => {
    await signOutM({});
    // Drop every cached answer of the old session.
    window.location.assign("/");
  }, [signOutM]);
  const switchCentre = useCallback(
    async (centreId: string) => {
      const r = await switchM({ centreId });
      if (!r.error) window.location.assign("/");
    },
    [switchM],
  );
  const value = useMemo<Session>(
    () => ({
      viewer,
      loading: fetching && !data,
      refresh,
      signOut,
      switchCentre,
      can: (...caps) => !!viewer && caps.some((c) => viewer.capabilities.includes(c)),
    }),
    [viewer, fetching, data, refresh, signOut, switchCentre],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session (inside `SessionProvider`). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}
