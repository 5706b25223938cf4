import { lazy, Suspense } from "react";
import { Center, Loader } from "@mantine/core";
import { Navigate, Route, Routes } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession } from "./auth";
import { Shell } from "./Shell";
import { SignInPage } from "./pages/SignIn";

const ForgotPasswordPage = lazy(() => import("./pages/ForgotPassword"));
const ResetPasswordPage = lazy(() => import("./pages/ResetPassword"));
const HomePage = lazy(() => import("./pages/Home"));
const ClientSearchPage = lazy(() => import("./pages/clients/ClientSearch"));
const ClientRegisterPage = lazy(() => import("./pages/clients/ClientRegister"));
const ClientPage = lazy(() => import("./pages/clients/ClientPage"));
const RecordInterventionPage = lazy(() => import("./pages/counselling/RecordIntervention"));
const NotFoundPage = lazy(() => import("./pages/NotFound"));
const AcceptInvitationPage = lazy(() => import("./pages/AcceptInvitation"));
const AppointmentsPage = lazy(() => import("./pages/counselling/Appointments"));
const ClientImportPage = lazy(() => import("./pages/clients/ClientImport"));
const StaffPage = lazy(() => import("./pages/admin/Staff"));
const BranchesPage = lazy(() => import("./pages/admin/Branches"));
const EmailsPage = lazy(() => import("./pages/admin/Emails"));
const AuditLogPage = lazy(() => import("./pages/admin/AuditLog"));
const CoursesPage = lazy(() => import("./pages/courses/Courses"));
const CourseNewPage = lazy(() => import("./pages/courses/CourseNew"));
const CoursePage = lazy(() => import("./pages/courses/CoursePage"));
const AttendancePage = lazy(() => import("./pages/courses/Attendance"));
const TimetablePage = lazy(() => import("./pages/courses/Timetable"));
const EventsPage = lazy(() => import("./pages/events/Events"));
const EventNewPage = lazy(() => import("./pages/events/Events").then((m) => ({ default: m.EventNewPage })));
const EventPage = lazy(() => import("./pages/events/EventPage"));
const InterpretersPage = lazy(() => import("./pages/admin/Interpreters"));
const OutreachPage = lazy(() => import("./pages/counselling/Outreach"));
const InquiriesPage = lazy(() => import("./pages/counselling/Inquiries"));
const WorkloadPage = lazy(() => import("./pages/counselling/Workload"));
const PublicFeedbackPage = lazy(() => import("./pages/PublicFeedback"));
const MinistryDashboard = lazy(() => import("./pages/ministry/Dashboard"));
const PublicEventPage = lazy(() => import("./pages/events/PublicEvent"));
const ConfirmRegistrationPage = lazy(() => import("./pages/events/PublicEvent").then((m) => ({ default: m.ConfirmRegistrationPage })));
const CancelRegistrationPage = lazy(() => import("./pages/events/PublicEvent").then((m) => ({ default: m.CancelRegistrationPage })));

function Loading() {
  const { t } = useTranslation();
  return (
    <Center h="50vh">
      <Loader aria-label={t("common.loading")} />
    </Center>
  );
}

/** Routes: the pages without a session, then the staff app inside the shell. */
export function App() {
  const { viewer, loading } = useSession();
  if (loading) return <Loading />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/invitation" element={<AcceptInvitationPage />} />
        <Route path="/events/:slug" element={<PublicEventPage />} />
        <Route path="/events/:slug/confirm" element={<ConfirmRegistrationPage />} />
        <Route path="/events/:slug/cancel" element={<CancelRegistrationPage />} />
        <Route path="/feedback" element={<PublicFeedbackPage />} />
        {viewer ? (
          <Route element={<Shell />}>
            <Route index element={<HomePage />} />
            <Route path="clients" element={<ClientSearchPage />} />
            <Route path="clients/new" element={<ClientRegisterPage />} />
            <Route path="clients/import" element={<ClientImportPage />} />
            <Route path="clients/:id" element={<ClientPage />} />
            <Route path="interventions/new" element={<RecordInterventionPage />} />
            <Route path="appointments" element={<AppointmentsPage />} />
            <Route path="outreach" element={<OutreachPage />} />
            <Route path="inquiries" element={<InquiriesPage />} />
            <Route path="workload" element={<WorkloadPage />} />
            <Route path="courses" element={<CoursesPage />} />
            <Route path="courses/new" element={<CourseNewPage />} />
            <Route path="courses/:id" element={<CoursePage />} />
            <Route path="courses/:courseId/sessions/:sessionId" element={<AttendancePage />} />
            <Route path="timetable" element={<TimetablePage />} />
            <Route path="manage/events" element={<EventsPage />} />
            <Route path="manage/events/new" element={<EventNewPage />} />
            <Route path="manage/events/:id" element={<EventPage />} />
            {viewer.roles.includes("MINISTRY_OFFICER") && <Route path="ministry" element={<MinistryDashboard />} />}
            <Route path="admin/staff" element={<StaffPage />} />
            <Route path="admin/branches" element={<BranchesPage />} />
            <Route path="admin/interpreters" element={<InterpretersPage />} />
            <Route path="admin/audit" element={<AuditLogPage />} />
            <Route path="admin/emails" element={<EmailsPage />} />
            <Route path="sign-in" element={<Navigate to="/" replace />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        ) : (
          <Route path="*" element={<SignInPage />} />
        )}
      </Routes>
    </Suspense>
  );
}
