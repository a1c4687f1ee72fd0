using System.Text;

namespace Netmap.Dynamic.Tests.PortSpec;

/// <summary>
/// Random and mutated specs (seeded, so a failure reproduces): the parser never throws
/// anything but NetmapPortSpecException, TryParse never throws, a success round-trips, and an
/// error's position lies inside the input.
/// </summary>
public class PortSpecPropertyTests
{
    private const int Seed = 20_261_127;
    private const int Count = 100_000;

    // Characters that matter to the grammar, plus some that must be rejected.
    private const string Alphabet = "netmapvale:0123456789-*^/@{}=,xztrRTconfsharextmemportfile_ rings slots host tx rx\t\n\u0001é\u00a0\ud800";

    [Test]
    public void Parse_and_TryParse_hold_their_contract_on_random_and_mutated_specs()
    {
        Random rng = new(Seed);
        string[] seeds = PortSpecVectorTests.LoadVectors().Select(v => v.Spec).ToArray();
        StringBuilder b = new();
        int accepted = 0;
        for (int i = 0; i < Count; i++)
        {
            string text = (i % 2 == 0) ? Mutate(rng, seeds[rng.Next(seeds.Length)], seeds, b) : RandomSpec(rng, b);
            Check(text, ref accepted);
        }
        // The generator is useful only if it reaches both outcomes often.
        Assert.That(accepted, Is.InRange(Count / 20, Count - Count / 20), "accepted count");
    }

    private static void Check(string text, ref int accepted)
    {
        bool ok;
        NetmapPortSpec? spec;
        NetmapPortSpecError error;
        try
        {
            ok = NetmapPortSpec.TryParse(text, out spec, out error);
        }
        catch (Exception e)
        {
            Assert.Fail($"TryParse threw {e.GetType().Name} for {Show(text)}: {e.Message}");
            return;
        }
        NetmapPortSpec? parsed = null;
        try
        {
            parsed = NetmapPortSpec.Parse(text);
        }
        catch (NetmapPortSpecException e)
        {
            if (ok)
                Assert.Fail($"Parse threw but TryParse accepted {Show(text)}: {e.Message}");
            if (e.Position != error.Position || e.Code != error.Code)
                Assert.Fail($"Parse and TryParse disagree on the error for {Show(text)}");
        }
        catch (Exception e)
        {
            Assert.Fail($"Parse threw {e.GetType().Name} for {Show(text)}: {e.Message}");
        }
        if (ok)
        {
            accepted++;
            if (!spec!.Equals(parsed))
                Assert.Fail($"Parse and TryParse disagree for {Show(text)}");
            string canonical = spec.ToString();
            if (!NetmapPortSpec.TryParse(canonical, out NetmapPortSpec? again, out NetmapPortSpecError e2))
                Assert.Fail($"canonical {Show(canonical)} of {Show(text)} does not parse: {e2.Message}");
            else if (!again.Equals(spec) || again.ToString() != canonical)
                Assert.Fail($"{Show(text)} does not round-trip via {Show(canonical)}");
        }
        else
        {
            bool inside = text.Length == 0
                ? error.Position == 0 && error.Length == 0
                : error.Position >= 0 && error.Position < text.Length && error.Position + error.Length <= text.Length;
            if (!inside)
                Assert.Fail($"error position {error.Position}+{error.Length} outside {Show(text)}");
            if (error.Reason.Length == 0)
                Assert.Fail($"no reason for {Show(text)}");
        }
    }

    private static string RandomSpec(Random rng, StringBuilder b)
    {
        b.Clear();
        b.Append(rng.Next(4) switch { 0 => "netmap:", 1 => "vale0:", 2 => "vale:", _ => "" });
        int len = rng.Next(0, 24);
        for (int i = 0; i < len; i++)
            b.Append(Alphabet[rng.Next(Alphabet.Length)]);
        return b.ToString();
    }

    private static string Mutate(Random rng, string text, string[] seeds, StringBuilder b)
    {
        b.Clear().Append(text);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = b.Length == 0 ? 0 : rng.Next(b.Length + 1);
            switch (rng.Next(5))
            {
                case 0: b.Insert(at, Alphabet[rng.Next(Alphabet.Length)]); break;
                case 1: if (at < b.Length) b.Remove(at, 1); break;
                case 2: if (at < b.Length) b[at] = Alphabet[rng.Next(Alphabet.Length)]; break;
                case 3: b.Length = at; break;   // truncate
                default:
                    // splice in a piece of another vector
                    string other = seeds[rng.Next(seeds.Length)];
                    int from = rng.Next(other.Length + 1);
                    b.Insert(at, other.AsSpan(from, rng.Next(other.Length - from + 1)));
                    break;
            }
        }
        return b.ToString();
    }

    private static string Show(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
