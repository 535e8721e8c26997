defmodule PhoenixApp.MixProject do
  use Mix.Project

  def project do
    [
      app: :phoenix_app,
      version: "0.1.0",
      elixir: "~> 1.14",
      deps: deps()
    ]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.10"},
      {:jason, "~> 1.2"},
      {:castore, "~> 1.0", only: :prod},
      {:acme_auth, git: "https://git.example.invalid/acme/acme_auth.git", branch: "main"}
    ]
  end
end
