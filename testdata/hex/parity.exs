# Mix's own reading of each mix.lock fixture: writes oracle-<rev>.json beside it.
#
#   elixir testdata/hex/parity.exs            # rewrite testdata/hex/*/oracle-*.json
#   elixir testdata/hex/parity.exs --check    # compare only
#   elixir testdata/hex/parity.exs DIR...     # print the reading of other folders
#
# The lockfile is read with Mix.Dep.Lock.read/1 (Mix's own reader; no network). The
# direct dependencies are Mix's: Mix.Project.in_project/3 evaluates the mix.exs beside it
# and its `:deps` are read from the project config. Packages: a `:hex` entry as (package
# name, version); any other SCM entry (`:git`) as (its key, the locked commit).
# JSON is written by hand (no JSON library ships with Elixir 1.14).
Mix.start()

defmodule Parity do
  def reading(dir) do
    dir = Path.expand(dir)
    lock = Mix.Dep.Lock.read(Path.join(dir, "mix.lock"))

    packages =
      lock
      |> Enum.map(fn
        {_key, {:hex, name, version, _, _, _, _, _}} -> {to_string(name), version}
        {_key, {:hex, name, version, _, _, _, _}} -> {to_string(name), version}
        {key, {_scm, _url, ref, _opts}} -> {to_string(key), ref}
      end)
      |> Enum.uniq()
      |> Enum.sort()

    app = String.to_atom("parity_" <> Integer.to_string(:erlang.unique_integer([:positive])))

    direct =
      Mix.Project.in_project(app, dir, fn _ ->
        Mix.Project.config()[:deps] |> Enum.map(&(elem(&1, 0) |> to_string()))
      end)
      |> Enum.sort()

    %{packages: packages, direct: direct}
  end

  def json(%{packages: packages, direct: direct}) do
    pkgs =
      Enum.map_join(packages, ",\n", fn {n, v} ->
        ~s(    {\n      "name": #{str(n)},\n      "version": #{str(v)}\n    })
      end)

    reader = "Mix.Dep.Lock.read and Mix.Project.config (Elixir #{System.version()})"

    ~s({\n  "reader": #{str(reader)},\n  "lockfile": "mix.lock",\n  "packages": [\n#{pkgs}\n  ],\n  "direct": [#{Enum.map_join(direct, ", ", &str/1)}]\n}\n)
  end

  defp str(s), do: "\"" <> String.replace(s, ["\\", "\""], &("\\" <> &1)) <> "\""
end

{check, dirs} = Enum.split_with(System.argv(), &(&1 == "--check"))
here = Path.dirname(Path.expand(__ENV__.file))

if dirs != [] do
  Enum.each(dirs, &IO.write(Parity.json(Parity.reading(&1))))
else
  failed =
    for fixture <- Enum.sort(File.ls!(here)),
        File.dir?(Path.join(here, fixture)),
        rev <- Enum.sort(File.ls!(Path.join(here, fixture))),
        File.exists?(Path.join([here, fixture, rev, "mix.lock"])),
        reduce: false do
      failed ->
        r = Parity.reading(Path.join([here, fixture, rev]))
        text = Parity.json(r)
        target = Path.join([here, fixture, "oracle-#{rev}.json"])

        failed =
          if check != [] do
            same = File.exists?(target) and File.read!(target) == text
            IO.puts("#{if same, do: "same", else: "DIFFERENT"} #{fixture}/oracle-#{rev}.json")
            failed or not same
          else
            File.write!(target, text)
            failed
          end

        IO.puts("#{fixture}/#{rev}: #{length(r.packages)} packages, #{length(r.direct)} direct")
        failed
    end

  if failed, do: System.halt(1)
end
