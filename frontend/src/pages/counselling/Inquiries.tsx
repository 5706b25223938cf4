import { useState, type FormEvent } from "react";
import { Anchor, Button, Fieldset, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { InquiryChannel, InquiryOutcome, Topic } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { CountrySelect, LanguageSelect } from "../../components/pickers";
import { TOPICS } from "../../components/labels";
import { addDays, countryName, formatDate, languageName, todayInPrague } from "../../format";

const InquiriesQuery = graphql(`
  query Inquiries($from: Date!, $to: Date!) {
    inquiries(from: $from, to: $to) {
      id
      occurredOn
      channel
      language
      nationality
      topics
      durationMinutes
      outcome
      referredTo
      clientId
    }
  }
`);

const RecordInquiry = graphql(`
  mutation RecordInquiry($input: InquiryInput!) {
    recordInquiry(input: $input) {
      id
    }
  }
`);

const CHANNELS: InquiryChannel[] = ["IN_PERSON", "PHONE", "EMAIL", "ONLINE"];
const OUTCOMES: InquiryOutcome[] = ["ANSWERED", "REFERRED"];

/** The front desk's anonymous inquiries: recorded in seconds (channel,
 * language, topics, minutes, answered or referred), the last 30 days
 * listed, and a person who comes back registered as a client from theirs. */
export default function InquiriesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = todayInPrague();
  const [{ data, error, fetching }, refetch] = useQuery({ query: InquiriesQuery, variables: { from: addDays(today, -30), to: today } });
  const [channel, setChannel] = useState<InquiryChannel>("IN_PERSON");
  const [language, setLanguage] = useState<string | null>(null);
  const [nationality, setNationality] = useState<string | null>(null);
  const [topics, setTopics] = useState<string[]>([]);
  const [minutes, setMinutes] = useState<number | string>(10);
  const [outcome, setOutcome] = useState<InquiryOutcome>("ANSWERED");
  const [referredTo, setReferredTo] = useState("");
  const [saved, setSaved] = useState(false);
  const [state, record] = useMutation(RecordInquiry);
  const problem = problemOf(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const r = await record({
      input: {
        channel,
        language: language ?? "",
        nationality,
        topics: topics as Topic[],
        durationMinutes: Number(minutes) || 0,
        outcome,
        referredTo: outcome === "REFERRED" ? referredTo : "",
      },
    });
    if (!r.error) {
      setSaved(true);
      setTopics([]);
      setReferredTo("");
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <Stack gap="xl">
      <Title order={1}>{t("inquiries.title")}</Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Fieldset legend={t("inquiries.new")}>
          <Stack>
            <ProblemAlert problem={problem} />
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              <Select
                label={t("inquiries.channel")}
                data={CHANNELS.map((c) => ({ value: c, label: t(`inquiryChannel.${c}`) }))}
                value={channel}
                onChange={(v) => v && setChannel(v as InquiryChannel)}
                allowDeselect={false}
              />
              <LanguageSelect label={t("intervention.language")} value={language} onChange={setLanguage} />
              <CountrySelect label={t("inquiries.nationality")} value={nationality} onChange={setNationality} clearable />
              <NumberInput label={t("inquiries.minutes")} min={1} value={minutes} onChange={setMinutes} error={fieldError(problem, "durationMinutes")} />
              <MultiSelect
                label={t("intervention.topics")}
                data={TOPICS.map((x) => ({ value: x, label: t(`topic.${x}`) }))}
                value={topics}
                onChange={setTopics}
                searchable
                required
                error={fieldError(problem, "topics")}
              />
              <Select
                label={t("inquiries.outcome")}
                data={OUTCOMES.map((o) => ({ value: o, label: t(`inquiryOutcome.${o}`) }))}
                value={outcome}
                onChange={(v) => v && setOutcome(v as InquiryOutcome)}
                allowDeselect={false}
              />
              {outcome === "REFERRED" && (
                <TextInput label={t("inquiries.referredTo")} value={referredTo} onChange={(e) => setReferredTo(e.currentTarget.value)} error={fieldError(problem, "referredTo")} />
              )}
            </SimpleGrid>
            <div>
              <Button type="submit" loading={state.fetching}>
                {t("inquiries.record")}
              </Button>
              {saved && (
                <Text role="status" span ml="sm" c="var(--mantine-color-green-light-color)">
                  {t("inquiries.saved")}
                </Text>
              )}
            </div>
          </Stack>
        </Fieldset>
      </form>
      <section aria-labelledby="recent-title">
        <Title order={2} size="h3" id="recent-title" mb="xs">
          {t("inquiries.recent")}
        </Title>
        <ProblemAlert problem={problemOf(error)} />
        {fetching && !data ? (
          <Loading />
        ) : (data?.inquiries ?? []).length === 0 ? (
          <Text c="dimmed">{t("inquiries.none")}</Text>
        ) : (
          <Table striped data-testid="inquiries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("intervention.date")}</Table.Th>
                <Table.Th>{t("inquiries.channel")}</Table.Th>
                <Table.Th>{t("inquiries.who")}</Table.Th>
                <Table.Th>{t("intervention.topics")}</Table.Th>
                <Table.Th>{t("inquiries.outcome")}</Table.Th>
                <Table.Th>{t("inquiries.client")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(data?.inquiries ?? []).map((q) => (
                <Table.Tr key={q.id}>
                  <Table.Td>{formatDate(q.occurredOn, lang)}</Table.Td>
                  <Table.Td>{t(`inquiryChannel.${q.channel}`)}</Table.Td>
                  <Table.Td>
                    {[q.nationality ? countryName(q.nationality, lang) : "", q.language ? languageName(q.language, lang) : ""].filter(Boolean).join(", ")}
                  </Table.Td>
                  <Table.Td>{q.topics.map((x) => t(`topic.${x}`)).join(", ")}</Table.Td>
                  <Table.Td>
                    {t(`inquiryOutcome.${q.outcome}`)}
                    {q.referredTo ? `: ${q.referredTo}` : ""}
                  </Table.Td>
                  <Table.Td>
                    {q.clientId ? (
                      <Anchor component={Link} to={`/clients/${q.clientId}`}>
                        {t("tasks.openClient")}
                      </Anchor>
                    ) : (
                      <Anchor
                        component={Link}
                        to={`/clients/new?inquiry=${q.id}&nationality=${q.nationality ?? ""}&language=${q.language}`}
                      >
                        {t("inquiries.register")}
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </Stack>
  );
}
