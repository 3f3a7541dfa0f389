# The default mapping of Sync-Plusoft: Consinco views -> Plusoft transactional load API.
# Copy this file, edit the copy and give it to -MappingPath; the module's copy is replaced on update.
#
# Per entity: Source (the view or table, schema-qualified as the Consinco login sees it), Key (the
# column or columns that identify a row), Cursor (optional: a change date, or the sale's date; the
# entity is then sent incrementally, only rows after the last run's, else the whole view each run),
# LookbackDays (optional, with a Cursor, default 0: each run first reads again the rows from that many
# days before the last run's Cursor value, so rows posted late with an older date still go; the rows of
# that window sent before go again too, and Plusoft upserts them by key; the output counts them as
# LookbackRows; -LookbackDays overrides it for one run), and Fields, each a Plusoft field
# (PlusoftContract.cs lists them; the required ones must be mapped) made
#   from a column:      @{ Field = 'NOME'; Column = 'NOMERAZAO' }
#   or a constant:      @{ Field = 'ORIGEM'; Value = 'CONSINCO' }
# with, as needed:
#   Trim = $true/$false        trim spaces (CHAR columns are padded)              default: Defaults.Trim
#   EmptyIsNull = $true        empty text (after trimming) counts as NULL         default: Defaults.EmptyIsNull
#   Format = '...'             .NET format: dates ('dd/MM/yyyy'), numbers as text ('00000000000000')
#   Decimals = 2               rounded half away from zero, always that many places (10.5 -> 10.50)
#   Null = 'Null'|'Omit'|'Empty'   NULL becomes JSON null, leaves the field out, or '' (text)
#   Default = value            used instead of NULL
#   Values = @{ A = $true; I = $false }   code -> value; a code not listed is an error for its batch
# Dates are written yyyy-MM-dd and date-times yyyy-MM-ddTHH:mm:ss (Defaults.DateFormat / DateTimeFormat),
# in the source's time zone (Connect-SyncSource -TimeZone).
@{
    Defaults = @{
        Trim           = $true
        EmptyIsNull    = $true
        Null           = 'Null'
        DateFormat     = 'yyyy-MM-dd'
        DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss"
    }

    Filiais = @{
        Source = 'VW_PLUSOFT_FILIAL'
        Key    = 'NROEMPRESA'
        Cursor = 'DTAALTERACAO'
        Fields = @(
            @{ Field = 'CODFILIAL';     Column = 'NROEMPRESA' }
            @{ Field = 'NOMEFILIAL';    Column = 'NOMEREDUZIDO' }
            @{ Field = 'RAZAOSOCIAL';   Column = 'RAZAOSOCIAL' }
            @{ Field = 'CNPJ';          Column = 'NROCGC'; Format = '00000000000000' }
            @{ Field = 'CIDADE';        Column = 'CIDADE' }
            @{ Field = 'UF';            Column = 'UF' }
            @{ Field = 'ATIVO';         Column = 'STATUS'; Values = @{ A = $true; I = $false } }
            @{ Field = 'DATAALTERACAO'; Column = 'DTAALTERACAO' }
            @{ Field = 'ORIGEM';        Value = 'CONSINCO' }
        )
    }

    Produtos = @{
        Source = 'VW_PLUSOFT_PRODUTO'
        Key    = 'SEQPRODUTO'
        Cursor = 'DTAHORALTERACAO'
        Fields = @(
            @{ Field = 'CODPRODUTO';           Column = 'SEQPRODUTO' }
            @{ Field = 'TXTDESCRICAO';         Column = 'DESCCOMPLETA' }
            @{ Field = 'TXTDESCRICAORESUMIDA'; Column = 'TXDESCRICAOREDUZIDA' }
            @{ Field = 'CODEAN';               Column = 'CODACESSO' }
            @{ Field = 'CODFAMILIA';           Column = 'SEQFAMILIA' }
            @{ Field = 'UNIDADE';              Column = 'EMBALAGEM' }
            @{ Field = 'PRECO';                Column = 'PRECOVENDA'; Decimals = 2 }
            @{ Field = 'ATIVO';                Column = 'STATUSVENDA'; Values = @{ A = $true; I = $false } }
            @{ Field = 'DATAALTERACAO';        Column = 'DTAHORALTERACAO' }
            @{ Field = 'ORIGEM';               Value = 'CONSINCO' }
        )
    }

    Clientes = @{
        Source = 'VW_PLUSOFT_CLIENTE'
        Key    = 'SEQPESSOA'
        Cursor = 'DTAALTERACAO'
        Fields = @(
            @{ Field = 'CODCLIENTE';     Column = 'SEQPESSOA' }
            @{ Field = 'NOME';           Column = 'NOMERAZAO' }
            @{ Field = 'NOMEFANTASIA';   Column = 'FANTASIA'; Null = 'Omit' }
            @{ Field = 'CPFCNPJ';        Column = 'NROCGCCPF' }
            @{ Field = 'TIPOPESSOA';     Column = 'FISICAJURIDICA' }
            @{ Field = 'EMAIL';          Column = 'EMAIL' }
            @{ Field = 'TELEFONE';       Column = 'FONENRO' }
            @{ Field = 'CIDADE';         Column = 'CIDADE' }
            @{ Field = 'UF';             Column = 'UF' }
            @{ Field = 'DATANASCIMENTO'; Column = 'DTANASCFUND' }
            @{ Field = 'DATAALTERACAO';  Column = 'DTAALTERACAO' }
            @{ Field = 'ORIGEM';         Value = 'CONSINCO' }
        )
    }

    Vendas = @{
        Source = 'VW_PLUSOFT_VENDA'
        Key    = 'NROEMPRESA', 'NUMERODF', 'SEQITEM'
        Cursor = 'DTAVDA'
        # A store that closes its till the next morning posts sales dated before the last run's DTAVDA:
        # LookbackDays = 1 sends them with the next run (and that day's and the day before's sales again,
        # every run). 0 sends each sale once, and a late one with an older date never.
        LookbackDays = 0
        Fields = @(
            @{ Field = 'CODFILIAL';       Column = 'NROEMPRESA' }
            @{ Field = 'NUMERODOCUMENTO'; Column = 'NUMERODF' }
            @{ Field = 'SERIE';           Column = 'SERIEDF' }
            @{ Field = 'ITEM';            Column = 'SEQITEM' }
            @{ Field = 'DATAVENDA';       Column = 'DTAVDA' }
            @{ Field = 'CODPRODUTO';      Column = 'SEQPRODUTO' }
            @{ Field = 'CODCLIENTE';      Column = 'SEQPESSOA' }
            @{ Field = 'QUANTIDADE';      Column = 'QTDITEM' }
            @{ Field = 'VALORUNITARIO';   Column = 'VLRITEM'; Decimals = 2 }
            @{ Field = 'VALORTOTAL';      Column = 'VLRTOTAL'; Decimals = 2 }
            @{ Field = 'VALORDESCONTO';   Column = 'VLRDESCONTO'; Decimals = 2; Default = 0 }
            @{ Field = 'ORIGEM';          Value = 'CONSINCO' }
        )
    }
}
