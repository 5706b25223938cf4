import { describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderWithApp } from "../../test/render";
import ClientRegisterPage, { DuplicateWarning } from "./ClientRegister";

describe("client registration", () => {
  it("names the missing fields without calling the server", async () => {
    const executeMutation = vi.fn();
    const client = { executeMutation, executeQuery: vi.fn() } as never;
    renderWithApp(<ClientRegisterPage />, client);
    await userEvent.click(screen.getByRole("button", { name: "Zaevidovat klienta" }));
    expect(screen.getAllByText("Vyplňte prosím toto pole.")).toHaveLength(4);
    expect(screen.getByRole("textbox", { name: /^Jméno/ })).toHaveAttribute("aria-invalid", "true");
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it("lists look-alike records with why they match, and goes on only when asked", async () => {
    const onConfirm = vi.fn();
    renderWithApp(
      <DuplicateWarning
        saving={false}
        onConfirm={onConfirm}
        duplicates={[
          {
            samePerson: true,
            sameBirthDate: true,
            client: { id: "c1", givenName: "Oleksandr", familyName: "Kovalenko", birthDate: "1985-03-14", nationality: "UA" },
          },
          {
            samePerson: false,
            sameBirthDate: true,
            client: { id: "c2", givenName: "Olena", familyName: "Koval", birthDate: "1985-03-14", nationality: "UA" },
          },
        ]}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Tento klient už možná je v evidenci");
    expect(screen.getByRole("link", { name: "Kovalenko Oleksandr" })).toHaveAttribute("href", "/clients/c1");
    expect(alert).toHaveTextContent("stejné jméno, datum narození a občanství");
    expect(alert).toHaveTextContent("(stejné datum narození)");
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Je to jiná osoba, zaevidovat" }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
});
