/** Role groups mirroring the server's capabilities (crates/kernel scope.rs);
 * the server enforces them, the app only hides what would be refused. */
export const CAN = {
  registerClients: ["centre_admin", "coordinator", "counsellor", "legal_counsellor", "field_worker", "receptionist"],
  manageClients: ["centre_admin", "coordinator", "counsellor", "legal_counsellor", "field_worker"],
  counsel: ["centre_admin", "counsellor", "legal_counsellor", "field_worker"],
  serveDesk: ["centre_admin", "counsellor", "legal_counsellor", "field_worker", "receptionist"],
  manageCentre: ["centre_admin"],
  readReports: ["centre_admin", "coordinator"],
  ministry: ["ministry_officer"],
} as const;
